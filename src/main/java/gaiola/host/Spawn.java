package gaiola.host;

import gaiola.error.HostException;
import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Runs a program with stdin from /dev/null and stdout and stderr appended to a file, through
 * libc's posix_spawn, and waits for it through a pidfd: the daemon's way of launching runc. The JDK
 * launches every program through its {@code jspawnhelper}, one more exec and a pipe protocol, which
 * costs about 3 ms here (against 10 to 15 ms of the daemon's own work per start); posix_spawn is
 * one vfork and one exec.
 *
 * <p>The child gets an empty signal mask and default signal actions, and no descriptor of ours but
 * the three it is given (close-from 3). Linking the calls takes tens of milliseconds once, so only
 * the long-lived daemon uses it ({@link #prepare}).
 */
public final class Spawn {
  private static final int O_WRONLY = 01, O_CREAT = 0100, O_APPEND = 02000;
  private static final short POSIX_SPAWN_SETSIGDEF = 0x04, POSIX_SPAWN_SETSIGMASK = 0x08;

  private Spawn() {}

  /** The libc calls, linked on first use. */
  private static final class Calls {
    static final Linker LINKER = Linker.nativeLinker();
    static final SymbolLookup LIBC = LINKER.defaultLookup();
    static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    static final AddressLayout A = ValueLayout.ADDRESS;
    static final MethodHandle ACTIONS_INIT = handle("posix_spawn_file_actions_init", FunctionDescriptor.of(I, A));
    static final MethodHandle ACTIONS_DESTROY = handle("posix_spawn_file_actions_destroy", FunctionDescriptor.of(I, A));
    static final MethodHandle ADD_OPEN =
        handle("posix_spawn_file_actions_addopen", FunctionDescriptor.of(I, A, I, A, I, I));
    static final MethodHandle ADD_DUP2 = handle("posix_spawn_file_actions_adddup2", FunctionDescriptor.of(I, A, I, I));
    static final MethodHandle ADD_CLOSEFROM =
        handle("posix_spawn_file_actions_addclosefrom_np", FunctionDescriptor.of(I, A, I));
    static final MethodHandle ATTR_INIT = handle("posix_spawnattr_init", FunctionDescriptor.of(I, A));
    static final MethodHandle ATTR_DESTROY = handle("posix_spawnattr_destroy", FunctionDescriptor.of(I, A));
    static final MethodHandle SET_FLAGS =
        handle("posix_spawnattr_setflags", FunctionDescriptor.of(I, A, ValueLayout.JAVA_SHORT));
    static final MethodHandle SET_SIGMASK = handle("posix_spawnattr_setsigmask", FunctionDescriptor.of(I, A, A));
    static final MethodHandle SET_SIGDEFAULT = handle("posix_spawnattr_setsigdefault", FunctionDescriptor.of(I, A, A));
    static final MethodHandle SIGEMPTYSET = handle("sigemptyset", FunctionDescriptor.of(I, A));
    static final MethodHandle SIGFILLSET = handle("sigfillset", FunctionDescriptor.of(I, A));
    static final MethodHandle POSIX_SPAWN = handle("posix_spawn", FunctionDescriptor.of(I, A, A, A, A, A, A));
    /** {@code char **environ}: the child gets our environment, as ProcessBuilder's would. */
    static final MemorySegment ENVIRON_VARIABLE =
        LIBC.find("environ").orElseThrow(() -> new LinkageError("libc has no environ")).reinterpret(A.byteSize());

    private static MethodHandle handle(String name, FunctionDescriptor d) {
      return LINKER.downcallHandle(LIBC.find(name).orElseThrow(() -> new LinkageError("libc has no " + name)), d);
    }
  }

  /** Links the calls now (the daemon at its start), so that no guest's start pays for it. */
  public static void prepare() {
    Calls.POSIX_SPAWN.type();
  }

  /**
   * Runs {@code argv} (its first element an absolute path) to its end with stdin from /dev/null and
   * stdout and stderr appended to {@code output}; returns its exit status as a shell gives it (128
   * + N for a program killed by signal N).
   */
  public static int run(List<String> argv, Path output) throws HostException {
    String display = String.join(" ", argv);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment actions = arena.allocate(256, 16);
      MemorySegment attr = arena.allocate(1024, 16);
      MemorySegment signals = arena.allocate(128, 8);
      check((int) Calls.ACTIONS_INIT.invokeExact(actions), "file actions", display);
      try {
        check((int) Calls.ADD_OPEN.invokeExact(actions, 0, arena.allocateFrom("/dev/null"), 0, 0), "stdin", display);
        check((int) Calls.ADD_OPEN.invokeExact(
            actions, 1, arena.allocateFrom(output.toString()), O_WRONLY | O_CREAT | O_APPEND, 0666), "stdout", display);
        check((int) Calls.ADD_DUP2.invokeExact(actions, 1, 2), "stderr", display);
        check((int) Calls.ADD_CLOSEFROM.invokeExact(actions, 3), "close-from", display);
        check((int) Calls.ATTR_INIT.invokeExact(attr), "attributes", display);
        try {
          check((int) Calls.SET_FLAGS.invokeExact(attr, (short) (POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)), "flags", display);
          check((int) Calls.SIGEMPTYSET.invokeExact(signals), "signal mask", display);
          check((int) Calls.SET_SIGMASK.invokeExact(attr, signals), "signal mask", display);
          check((int) Calls.SIGFILLSET.invokeExact(signals), "signal actions", display);
          check((int) Calls.SET_SIGDEFAULT.invokeExact(attr, signals), "signal actions", display);
          MemorySegment args = arena.allocate(ValueLayout.ADDRESS, argv.size() + 1);
          for (int i = 0; i < argv.size(); i++) {
            args.setAtIndex(ValueLayout.ADDRESS, i, arena.allocateFrom(argv.get(i)));
          }
          args.setAtIndex(ValueLayout.ADDRESS, argv.size(), MemorySegment.NULL);
          MemorySegment pid = arena.allocate(ValueLayout.JAVA_INT);
          MemorySegment environ = Calls.ENVIRON_VARIABLE.get(ValueLayout.ADDRESS, 0);
          int r = (int) Calls.POSIX_SPAWN.invokeExact(pid, arena.allocateFrom(argv.getFirst()), actions, attr, args, environ);
          if (r != 0) {
            throw new HostException("cannot run '" + display + "': " + FileCalls.message(r));
          }
          return await(pid.get(ValueLayout.JAVA_INT, 0), display);
        } finally {
          int ignored = (int) Calls.ATTR_DESTROY.invokeExact(attr);
        }
      } finally {
        int ignored = (int) Calls.ACTIONS_DESTROY.invokeExact(actions);
      }
    } catch (HostException e) {
      throw e;
    } catch (Throwable t) {
      throw new HostException("cannot run '" + display + "': " + t, t);
    }
  }

  /** Waits for our child through a pidfd, as for a guest's init; its status as a shell gives it. */
  private static int await(int pid, String display) throws HostException {
    Optional<Pidfd> child = Pidfd.open(pid);
    if (child.isPresent()) {
      try (Pidfd p = child.get()) {
        Optional<Pidfd.End> end = p.reap();
        if (end.isPresent()) {
          return end.get().shellStatus();
        }
      }
    }
    throw new HostException("cannot wait for '" + display + "': it is not our child any more");
  }

  private static void check(int r, String what, String display) throws HostException {
    if (r != 0) {
      throw new HostException("cannot run '" + display + "': " + what + ": " + FileCalls.message(r));
    }
  }
}
