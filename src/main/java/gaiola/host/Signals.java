package gaiola.host;

/** Names of the signals that appear in messages. */
public final class Signals {
  public static final int SIGHUP = 1;
  public static final int SIGINT = 2;
  public static final int SIGKILL = 9;
  public static final int SIGUSR2 = 12;
  public static final int SIGTERM = 15;

  private Signals() {}

  public static String name(int signal) {
    return switch (signal) {
      case 1 -> "SIGHUP";
      case 2 -> "SIGINT";
      case 3 -> "SIGQUIT";
      case 6 -> "SIGABRT";
      case 9 -> "SIGKILL";
      case 10 -> "SIGUSR1";
      case 11 -> "SIGSEGV";
      case 12 -> "SIGUSR2";
      case 15 -> "SIGTERM";
      default -> signal >= 34 && signal <= 64 ? "SIGRTMIN+" + (signal - 34) : "signal " + signal;
    };
  }

  static String suffix(int signal) {
    return " (" + name(signal) + ")";
  }
}
