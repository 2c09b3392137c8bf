package dev.floe.buffer;

/**
 * One reader's place in a {@link StreamBuffer}. Used by one thread at a time; cursors of the same
 * buffer are independent and lock-free.
 */
public final class Cursor {
  private final StreamBuffer buffer;
  private long nextSeq;
  private long position;

  Cursor(StreamBuffer buffer, long nextSeq, long position) {
    this.buffer = buffer;
    this.nextSeq = nextSeq;
    this.position = position;
  }

  /** The start of the next chunk {@link #next()} will return (a chunk boundary). */
  public long position() {
    return position;
  }

  /**
   * The next chunk, or null when the reader has caught up with the writer.
   *
   * @throws LappedException when the next chunk was evicted before the reader got it; the cursor
   *     does not move, so every later call throws again until the reader opens a new cursor
   */
  public Chunk next() throws LappedException {
    Chunk c = buffer.read(nextSeq, position);
    if (c != null) {
      nextSeq++;
      position = c.end();
    }
    return c;
  }

  /** Bytes between this cursor and the writer: {@code buffer.newest() - position()}. */
  public long lag() {
    return buffer.newest() - position;
  }

  public StreamBuffer buffer() {
    return buffer;
  }

  @Override
  public String toString() {
    return "Cursor[" + position + ", lag " + lag() + "]";
  }
}
