package gaiola.host;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The system calls Gaiola makes itself, through the Foreign Function and Memory API. Each returns
 * the raw result; a negative result comes with the errno captured right after the call.
 */
final class Native {
  static final long SYS_PIDFD_SEND_SIGNAL = 424;
  static final long SYS_PIDFD_OPEN = 434;
  static final int PR_SET_CHILD_SUBREAPER = 36;
  static final short POLLIN = 0x1;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final SymbolLookup LIBC = LINKER.defaultLookup();
  private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
  private static final VarHandle ERRNO_HANDLE =
      Linker.Option.captureStateLayout()
          .varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));

  // x86-64 system call numbers (pidfd_* are the same on every architecture).
  private static final long SYS_CLOSE = 3;
  private static final long SYS_POLL = 7;
  private static final long SYS_PTRACE = 101;
  private static final long SYS_GETEUID = 107;
  private static final long SYS_PRCTL = 157;
  private static final long SYS_WAITID = 247;

  /**
   * Every call goes through syscall(2) with one shape, linked on first use: linking spins classes
   * the AOT cache cannot keep (tens of ms for each shape), so the host package links this one only
   * ({@link FileCalls}, {@link FileStat} and {@link InodeFlags} call through it too).
   */
  private static final class Syscall {
    static final MethodHandle H =
        LINKER.downcallHandle(
            LIBC.find("syscall").orElseThrow(() -> new LinkageError("libc has no syscall")),
            FunctionDescriptor.of(
                ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_LONG),
            Linker.Option.firstVariadicArg(1),
            ERRNO);
  }

  private Native() {}

  /** syscall(number, a…f) with errno captured in {@code state}: the one downcall of the host package. */
  static long syscall(MemorySegment state, long number, long a, long b, long c, long d, long e, long f) {
    try {
      return (long) Syscall.H.invokeExact(state, number, a, b, c, d, e, f);
    } catch (Throwable t) {
      throw new IllegalStateException("syscall " + number, t);
    }
  }

  /** The errno a failed {@link #syscall} left in {@code state}. */
  static int errno(MemorySegment state) {
    return (int) ERRNO_HANDLE.get(state, 0L);
  }

  private static long call(MemorySegment state, long number, long a, long b, long c, long d, long e) {
    return syscall(state, number, a, b, c, d, e, 0L);
  }

  private static Result call(String what, long number, long a, long b, long c, long d) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
      long r = call(state, number, a, b, c, d, 0L);
      return new Result(r, r < 0 ? (int) ERRNO_HANDLE.get(state, 0L) : 0);
    } catch (Throwable t) {
      throw new IllegalStateException(what, t);
    }
  }

  /** A result and the errno that came with it. */
  record Result(long value, int errno) {
    boolean failed() {
      return value < 0;
    }
  }

  static Result syscall3(long number, long a, long b, long c) {
    return call("syscall " + number, number, a, b, c, 0L);
  }

  static Result syscall5(long number, long a, long b, long c, long d) {
    return call("syscall " + number, number, a, b, c, d);
  }

  static Result prctl(int option, long arg) {
    return call("prctl", SYS_PRCTL, option, arg, 0L, 0L);
  }

  /** poll(2) on one descriptor for POLLIN; returns 1 when readable, 0 on time-out. */
  static Result pollIn(int fd, int timeoutMillis) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
      // struct pollfd { int fd; short events; short revents; }
      MemorySegment pfd = arena.allocate(8, 4);
      pfd.set(ValueLayout.JAVA_INT, 0, fd);
      pfd.set(ValueLayout.JAVA_SHORT, 4, POLLIN);
      pfd.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
      long r = call(state, SYS_POLL, pfd.address(), 1L, timeoutMillis, 0L, 0L);
      return new Result(r, r < 0 ? (int) ERRNO_HANDLE.get(state, 0L) : 0);
    } catch (Throwable t) {
      throw new IllegalStateException("poll", t);
    }
  }

  static final int P_PIDFD = 3;
  static final int WEXITED = 4;

  /** waitid(P_PIDFD, fd, …, WEXITED): reaps our child; errno ECHILD when it is not our child. */
  static Result waitid(int pidfd, int[] codeAndStatus) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
      MemorySegment info = arena.allocate(128, 8); // sizeof(siginfo_t)
      // The fifth argument, struct rusage *, may be NULL.
      long r = call(state, SYS_WAITID, P_PIDFD, pidfd, info.address(), WEXITED, 0L);
      if (r < 0) {
        return new Result(r, (int) ERRNO_HANDLE.get(state, 0L));
      }
      // x86-64 siginfo_t: si_signo, si_errno, si_code, padding, then si_pid, si_uid, si_status.
      codeAndStatus[0] = info.get(ValueLayout.JAVA_INT, 8);
      codeAndStatus[1] = info.get(ValueLayout.JAVA_INT, 24);
      return new Result(r, 0);
    } catch (Throwable t) {
      throw new IllegalStateException("waitid", t);
    }
  }

  static final long PTRACE_CONT = 7;
  static final long PTRACE_DETACH = 17;
  static final long PTRACE_SEIZE = 0x4206;
  static final long PTRACE_O_TRACEEXEC = 0x10;

  /** ptrace(2) for requests that return no data (SEIZE, CONT, DETACH, …). */
  static Result ptrace(long request, long pid, long addr, long data) {
    return call("ptrace", SYS_PTRACE, request, pid, addr, data);
  }

  /** waitid(P_PIDFD, fd, …, WEXITED): also reports a tracee's stops, with si_code CLD_TRAPPED. */
  static Result waitidAny(int pidfd, int[] codeAndStatus) {
    return waitid(pidfd, codeAndStatus);
  }

  /** poll(2) on several descriptors for POLLIN; {@code ready[i]} tells which became readable. */
  static Result pollIn(int[] fds, boolean[] ready, int timeoutMillis) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
      MemorySegment pfd = arena.allocate(8L * Math.max(1, fds.length), 4);
      for (int i = 0; i < fds.length; i++) {
        pfd.set(ValueLayout.JAVA_INT, 8L * i, fds[i]);
        pfd.set(ValueLayout.JAVA_SHORT, 8L * i + 4, POLLIN);
        pfd.set(ValueLayout.JAVA_SHORT, 8L * i + 6, (short) 0);
      }
      long r = call(state, SYS_POLL, pfd.address(), fds.length, timeoutMillis, 0L, 0L);
      for (int i = 0; i < fds.length; i++) {
        ready[i] = pfd.get(ValueLayout.JAVA_SHORT, 8L * i + 6) != 0;
      }
      return new Result(r, r < 0 ? (int) ERRNO_HANDLE.get(state, 0L) : 0);
    } catch (Throwable t) {
      throw new IllegalStateException("poll", t);
    }
  }

  static void close(int fd) {
    call("close", SYS_CLOSE, fd, 0L, 0L, 0L);
  }

  static int geteuid() {
    return (int) call("geteuid", SYS_GETEUID, 0L, 0L, 0L, 0L).value();
  }

  /** strerror-like names for the errnos Gaiola meets. */
  static String errnoName(int errno) {
    return switch (errno) {
      case 1 -> "EPERM";
      case 2 -> "ENOENT";
      case 3 -> "ESRCH";
      case 4 -> "EINTR";
      case 9 -> "EBADF";
      case 10 -> "ECHILD";
      case 13 -> "EACCES";
      case 22 -> "EINVAL";
      case 38 -> "ENOSYS";
      default -> "errno " + errno;
    };
  }
}
