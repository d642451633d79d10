package gaiola.guest;

/** Where the engine tells the user things that are not results: notes (--verbose) and warnings. */
public interface Reporter {
  /** Detail shown only with {@code --verbose}. */
  void note(String text);

  /** Something the user should know although the operation went on. */
  void warn(String text);

  /**
   * The current stage of a long operation, replacing the previous one on a terminal; an empty
   * text clears the line. Not shown when stderr is not a terminal.
   */
  default void progress(String text) {}

  /**
   * A meter for a long tree operation (unpack, clone, template create): a bar with bytes, files
   * and rate on a terminal, one summary line at the end otherwise.
   */
  default gaiola.storage.Progress meter(String what) {
    return gaiola.storage.Progress.NONE;
  }

  Reporter SILENT =
      new Reporter() {
        @Override
        public void note(String text) {}

        @Override
        public void warn(String text) {}
      };
}
