package dev.floe.buffer;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Codec setup bytes (the Ogg BOS page and the header pages after it) that every new reader must
 * get before its first chunk.
 *
 * <p>Immutable. Identity matters: the chunker makes one object per logical stream and passes that
 * same object with every chunk of the stream, so a reader notices a new header (a chained Ogg
 * stream) by comparing references. {@code equals} is therefore identity.
 */
public final class StreamHeader {
  private final ByteBuffer data;
  private final String title;

  private StreamHeader(ByteBuffer data, String title) {
    this.data = data;
    this.title = title;
  }

  /**
   * A header holding a copy of {@code bytes} from its position to its limit, in direct memory.
   * The position of {@code bytes} is not changed.
   */
  public static StreamHeader of(ByteBuffer bytes) {
    return of(bytes, null);
  }

  /**
   * As {@link #of(ByteBuffer)}, with the title its comment header names ({@code Artist - Title}
   * from Vorbis comments or Opus tags), or null.
   */
  public static StreamHeader of(ByteBuffer bytes, String title) {
    Objects.requireNonNull(bytes, "bytes");
    ByteBuffer copy = ByteBuffer.allocateDirect(bytes.remaining());
    copy.put(bytes.duplicate());
    copy.flip();
    return new StreamHeader(copy.asReadOnlyBuffer(), title);
  }

  /** The title the stream's comment header names, or null when it names none. */
  public String title() {
    return title;
  }

  /** A new read-only duplicate of the header bytes: position 0, limit {@link #length()}, direct. */
  public ByteBuffer data() {
    return data.duplicate();
  }

  public int length() {
    return data.limit();
  }

  @Override
  public String toString() {
    return "StreamHeader[" + length() + " bytes]";
  }
}
