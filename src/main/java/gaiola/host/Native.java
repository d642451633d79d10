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

  // Each downcall is linked on first use, in its own holder class: linking spins classes that the
  // AOT cache cannot keep (several ms each), and most commands need one or two of them.
  private static final class Syscall {
    /** syscall(2) with five arguments; calls that take fewer ignore the extra zeros. */
    static final MethodHandle H =
        downcall(
            "syscall",
            FunctionDescriptor.of(
                ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_LONG),
            Linker.Option.firstVariadicArg(1),
            ERRNO);
  }

  private static final class Prctl {
    static final MethodHandle H =
        downcall(
            "prctl",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG),
            Linker.Option.firstVariadicArg(1),
            ERRNO);
  }

  private static final class Poll {
    static final MethodHandle H =
        downcall(
            "poll",
            FunctionDescriptor.of(
                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT),
            null,
            ERRNO);
  }

  private static final class Waitid {
    static final MethodHandle H =
        downcall(
            "waitid",
            FunctionDescriptor.of(
                ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS,
                ValueLayout.JAVA_INT),
            null,
            ERRNO);
  }

  private static final class Close {
    static final MethodHandle H =
        downcall("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), null);
  }

  private static final class Geteuid {
    static final MethodHandle H = downcall("geteuid", FunctionDescriptor.of(ValueLayout.JAVA_INT), null);
  }

  private static final class Ptrace {
    static final MethodHandle H =
        downcall(
            "ptrace",
            FunctionDescriptor.of(
                ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_LONG),
            Linker.Option.firstVariadicArg(1),
            ERRNO);
  }

  private Native() {}

  private static MethodHandle downcall(
      String name, FunctionDescriptor fd, Linker.Option variadic, Linker.Option... more) {
    MemorySegment symbol =
        LIBC.find(name).orElseThrow(() -> new LinkageError("libc has no " + name));
    Linker.Option[] options;
    if (variadic == null) {
      options = more;
    } else {
      options = new Linker.Option[more.length + 1];
      options[0] = variadic;
      System.arraycopy(more, 0, options, 1, more.length);
    }
    return LINKER.downcallHandle(symbol, fd, options);
  }

  /** A result and the errno that came with it. */
  record Result(long value, int errno) {
    boolean failed() {
      return value < 0;
    }
  }

  static Result syscall3(long number, long a, long b, long c) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
      long r = (long) Syscall.H.invokeExact(state, number, a, b, c, 0L);
      return new Result(r, r < 0 ? (int) ERRNO_HANDLE.get(state, 0L) : 0);
    } catch (Throwable t) {
      throw new IllegalStateException("syscall " + number, t);
    }
  }

  static Result syscall5(long number, long a, long b, long c, long d) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
      long r = (long) Syscall.H.invokeExact(state, number, a, b, c, d);
      return new Result(r, r < 0 ? (int) ERRNO_HANDLE.get(state, 0L) : 0);
    } catch (Throwable t) {
      throw new IllegalStateException("syscall " + number, t);
    }
  }

  static Result prctl(int option, long arg) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
      int r = (int) Prctl.H.invokeExact(state, option, arg);
      return new Result(r, r < 0 ? (int) ERRNO_HANDLE.get(state, 0L) : 0);
    } catch (Throwable t) {
      throw new IllegalStateException("prctl", t);
    }
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
      int r = (int) Poll.H.invokeExact(state, pfd, 1L, timeoutMillis);
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
      int r = (int) Waitid.H.invokeExact(state, P_PIDFD, pidfd, info, WEXITED);
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

  static Result ptrace(long request, long pid, long addr, long data) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
      long r = (long) Ptrace.H.invokeExact(state, request, pid, addr, data);
      return new Result(r, r < 0 ? (int) ERRNO_HANDLE.get(state, 0L) : 0);
    } catch (Throwable t) {
      throw new IllegalStateException("ptrace", t);
    }
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
      int r = (int) Poll.H.invokeExact(state, pfd, (long) fds.length, timeoutMillis);
      for (int i = 0; i < fds.length; i++) {
        ready[i] = pfd.get(ValueLayout.JAVA_SHORT, 8L * i + 6) != 0;
      }
      return new Result(r, r < 0 ? (int) ERRNO_HANDLE.get(state, 0L) : 0);
    } catch (Throwable t) {
      throw new IllegalStateException("poll", t);
    }
  }

  static void close(int fd) {
    try {
      int ignored = (int) Close.H.invokeExact(fd);
    } catch (Throwable t) {
      throw new IllegalStateException("close", t);
    }
  }

  static int geteuid() {
    try {
      return (int) Geteuid.H.invokeExact();
    } catch (Throwable t) {
      throw new IllegalStateException("geteuid", t);
    }
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
