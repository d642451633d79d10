# Sourced by the bench scripts: what more than one of them needs.

# A clock that forks nothing. Timing with $(date +%s%N) puts a
# date process (1.5-6 ms on this VM) inside every measured interval, the anchor's and Gaiola's
# alike, which pulls short ratios towards 1. bash's $EPOCHREALTIME is read without a fork.
# (template-clone and daemon read ${EPOCHREALTIME//[!0-9]/} directly: microseconds.)

# elapsed_us CMD...: runs CMD with no input or output and prints its wall time in microseconds.
elapsed_us() {
  local s e
  s=${EPOCHREALTIME//[!0-9]/}
  "$@" >/dev/null 2>&1 </dev/null
  e=${EPOCHREALTIME//[!0-9]/}
  echo $((e - s))
}

# settle GUEST: waits until runc holds no container for GUEST under GAIOLA_ROOT. gaiolad answers a
# stop before runc's delete of the dead container, which follows on a background thread holding
# the guest's lock: waiting measures the next command on an idle host, as runc's own next run
# follows its finished delete -f.
settle() { while runc --root "$GAIOLA_ROOT/run/gaiola/runc" state "$1" >/dev/null 2>&1; do sleep 0.01; done; }
