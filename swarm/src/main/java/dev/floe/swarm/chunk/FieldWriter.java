package dev.floe.swarm.chunk;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A big-endian byte writer for wire and signed encodings: fixed-width integers and unsigned
 * LEB128 varints (7 bits a byte, low group first, minimal length). Three forms share the field
 * code, so a layout is written in one place: {@code new FieldWriter()} grows a heap array; {@link
 * #into(ByteBuffer)} writes into a buffer sized beforehand (a frame's own bytes, written once);
 * {@link #counter()} keeps nothing and only counts (a frame's size without encoding it).
 */
public final class FieldWriter {
  private ByteBuffer out;
  private final boolean grows;
  private int size;

  /** A writer into a heap array that grows as needed; take the bytes with {@link #toByteArray}. */
  public FieldWriter() {
    this(ByteBuffer.allocate(64), true);
  }

  private FieldWriter(ByteBuffer out, boolean grows) {
    this.out = out;
    this.grows = grows;
  }

  /**
   * A writer into {@code target} from its position on, moving the position past what it writes.
   * Writing past the limit throws {@link java.nio.BufferOverflowException}.
   */
  public static FieldWriter into(ByteBuffer target) {
    return new FieldWriter(target, false);
  }

  /** A writer that keeps no bytes: {@link #size()} is what the same writes would take. */
  public static FieldWriter counter() {
    return new FieldWriter(null, false);
  }

  /** Appends one byte (the low 8 bits). */
  public FieldWriter u8(int v) {
    if (out != null) {
      ensure(1);
      out.put((byte) v);
    }
    size++;
    return this;
  }

  /** Appends the low 16 bits, big-endian. */
  public FieldWriter u16(int v) {
    return u8(v >>> 8).u8(v);
  }

  /** Appends 32 bits, big-endian. */
  public FieldWriter u32(int v) {
    return u16(v >>> 16).u16(v);
  }

  /** Appends 64 bits, big-endian. */
  public FieldWriter u64(long v) {
    return u32((int) (v >>> 32)).u32((int) v);
  }

  /** Appends a non-negative value as a minimal varint (1 to 9 bytes). */
  public FieldWriter varint(long v) {
    if (v < 0) {
      throw new IllegalArgumentException("varint must be non-negative: " + v);
    }
    while (v >= 0x80) {
      u8((int) (v & 0x7F) | 0x80);
      v >>>= 7;
    }
    return u8((int) v);
  }

  /** Appends bytes as they are. */
  public FieldWriter bytes(byte[] b) {
    if (out != null) {
      ensure(b.length);
      out.put(b);
    }
    size += b.length;
    return this;
  }

  /** Appends the remaining bytes of {@code b} without moving its position. */
  public FieldWriter bytes(ByteBuffer b) {
    int n = b.remaining();
    if (out != null) {
      ensure(n);
      out.put(b.duplicate());
    }
    size += n;
    return this;
  }

  /** Appends US-ASCII text as it is (no length). */
  public FieldWriter ascii(String s) {
    return bytes(s.getBytes(StandardCharsets.US_ASCII));
  }

  /** Bytes written (or, for a {@link #counter()}, counted) so far. */
  public int size() {
    return size;
  }

  /**
   * A copy of the bytes written.
   *
   * @throws IllegalStateException unless this is a growing writer ({@code new FieldWriter()})
   */
  public byte[] toByteArray() {
    if (!grows) {
      throw new IllegalStateException("only a growing writer keeps its bytes");
    }
    return Arrays.copyOf(out.array(), size);
  }

  private void ensure(int n) {
    if (grows && out.remaining() < n) {
      ByteBuffer bigger = ByteBuffer.allocate(Math.max(out.capacity() * 2, size + n));
      out = bigger.put(out.flip());
    }
  }
}
