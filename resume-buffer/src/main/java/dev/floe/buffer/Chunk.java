package dev.floe.buffer;

import dev.floe.icy.meta.IcyMetadata;
import java.nio.ByteBuffer;

/**
 * One immutable run of audio bytes in a {@link StreamBuffer}: whole frames (or Ogg pages) when the
 * writer uses the frame chunker.
 *
 * <p>The bytes live in a direct buffer allocated once by the writer; {@link #data()} hands out
 * read-only duplicates, so a network layer can write the same memory to many sockets without a
 * copy per listener. All fields are final, so a chunk is safely shared between threads.
 */
public final class Chunk {
  private final long sequence;
  private final long start;
  private final ByteBuffer data;
  private final IcyMetadata metadata;
  private final StreamHeader header;
  private final long appendedNanos;

  Chunk(
      long sequence,
      long start,
      ByteBuffer readOnlyDirect,
      IcyMetadata metadata,
      StreamHeader header,
      long appendedNanos) {
    this.sequence = sequence;
    this.start = start;
    this.data = readOnlyDirect;
    this.metadata = metadata;
    this.header = header;
    this.appendedNanos = appendedNanos;
  }

  /** 0, 1, 2, ... in the order the writer appended, per buffer. */
  public long sequence() {
    return sequence;
  }

  /** Stream position of the first byte. */
  public long start() {
    return start;
  }

  /** Stream position just past the last byte: {@code start() + length()}. */
  public long end() {
    return start + data.limit();
  }

  public int length() {
    return data.limit();
  }

  /** A new read-only duplicate of the bytes: position 0, limit {@link #length()}, direct. */
  public ByteBuffer data() {
    return data.duplicate();
  }

  /** The ICY metadata in force at the first byte; never null. */
  public IcyMetadata metadata() {
    return metadata;
  }

  /** The Ogg header pages in force for this chunk, or null (MPEG, or no header seen yet). */
  public StreamHeader header() {
    return header;
  }

  /** The writer's clock when the chunk was appended. */
  public long appendedNanos() {
    return appendedNanos;
  }

  @Override
  public String toString() {
    return "Chunk#" + sequence + "[" + start + ".." + end() + ")";
  }
}
