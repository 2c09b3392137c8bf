package dev.floe.swarm.chunk;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable big-endian byte writer for wire and signed encodings: fixed-width integers and
 * unsigned LEB128 varints (7 bits a byte, low group first, minimal length).
 */
public final class FieldWriter {
  private byte[] buf = new byte[64];
  private int size;

  /** Appends one byte (the low 8 bits). */
  public FieldWriter u8(int v) {
    ensure(1);
    buf[size++] = (byte) v;
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
    ensure(b.length);
    System.arraycopy(b, 0, buf, size, b.length);
    size += b.length;
    return this;
  }

  /** Appends the remaining bytes of {@code b} without moving its position. */
  public FieldWriter bytes(ByteBuffer b) {
    int n = b.remaining();
    ensure(n);
    b.duplicate().get(buf, size, n);
    size += n;
    return this;
  }

  /** Appends US-ASCII text as it is (no length). */
  public FieldWriter ascii(String s) {
    return bytes(s.getBytes(StandardCharsets.US_ASCII));
  }

  /** Bytes written so far. */
  public int size() {
    return size;
  }

  /** A copy of the bytes written. */
  public byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }

  private void ensure(int n) {
    if (size + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
    }
  }
}
