package gaiola.storage;

/**
 * Where a long tree operation (unpack, clone, template create) reports how far it got. Calls come
 * from several threads.
 */
public interface Progress {
  /**
   * The amount of work in bytes, when known; may be called once, early. Progress against it is
   * measured by {@link #position} when the operation calls it (an archive read so far), else by the
   * bytes of {@link #advance}.
   */
  default void total(long bytes) {}

  /** How far through the {@link #total} the operation is. */
  default void position(long bytes) {}

  /** More work done: content bytes and entries written. */
  void advance(long bytes, long files);

  /** The operation succeeded: a meter shows its summary (amount, time, rate). */
  default void done() {}

  /** The operation ended, well or not: a meter takes its bar off the terminal. */
  default void clear() {}

  Progress NONE = (bytes, files) -> {};
}
