package dev.floe.buffer;

/**
 * Thrown by {@link Cursor#next()} when the chunk the reader wanted was evicted before the reader
 * got it. The cursor stays where it was (every later call throws again): reopen it, for example
 * with {@code buffer.open(e.oldest())}, to go on with a gap the reader knows about.
 */
public final class LappedException extends Exception {
  private static final long serialVersionUID = 1L;

  private final long wanted;
  private final long oldest;

  public LappedException(long wanted, long oldest) {
    super(
        "reader lapped: wanted position "
            + wanted
            + " but the oldest byte held is at "
            + oldest
            + "; "
            + (oldest - wanted)
            + " bytes lost");
    this.wanted = wanted;
    this.oldest = oldest;
  }

  /** The position the reader wanted next. */
  public long wanted() {
    return wanted;
  }

  /** The oldest position the buffer held when the reader found out. */
  public long oldest() {
    return oldest;
  }

  /** Bytes the reader can no longer get: {@code oldest() - wanted()}. */
  public long lostBytes() {
    return oldest - wanted;
  }
}
