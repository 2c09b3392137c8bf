package dev.floe.swarm.chunk;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads what {@link FieldWriter} writes from a buffer, advancing its position. Every malformed
 * input (too few bytes, an overlong or too large varint, bad UTF-8) is an {@link
 * IllegalArgumentException} whose message names the field.
 */
public final class FieldReader {
  private final ByteBuffer in;

  /** Reads from {@code in} (its position advances). */
  public FieldReader(ByteBuffer in) {
    this.in = in;
  }

  /** Bytes left. */
  public int remaining() {
    return in.remaining();
  }

  /** One unsigned byte. */
  public int u8(String field) {
    need(1, field);
    return in.get() & 0xFF;
  }

  /** Two bytes, big-endian, unsigned. */
  public int u16(String field) {
    need(2, field);
    return in.getShort() & 0xFFFF;
  }

  /** Four bytes, big-endian. */
  public int u32(String field) {
    need(4, field);
    return in.getInt();
  }

  /** Eight bytes, big-endian. */
  public long u64(String field) {
    need(8, field);
    return in.getLong();
  }

  /** A minimal varint of at most {@code max}. */
  public long varint(String field, long max) {
    long v = 0;
    for (int shift = 0; ; shift += 7) {
      int b = u8(field);
      if (shift == 63 && b > 0) {
        throw new IllegalArgumentException(field + ": varint too large");
      }
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (b == 0 && shift > 0) {
          throw new IllegalArgumentException(field + ": overlong varint");
        }
        break;
      }
    }
    if (v > max) {
      throw new IllegalArgumentException(field + " " + v + " exceeds " + max);
    }
    return v;
  }

  /** A varint that must fit an int of at most {@code max}. */
  public int varint32(String field, int max) {
    return (int) varint(field, max);
  }

  /** Exactly {@code n} bytes, copied. */
  public byte[] bytes(int n, String field) {
    need(n, field);
    byte[] b = new byte[n];
    in.get(b);
    return b;
  }

  /** A varint length of at most {@code max} bytes, then that many bytes. */
  public byte[] lengthPrefixed(String field, int max) {
    return bytes(varint32(field + " length", max), field);
  }

  /** A length-prefixed strict UTF-8 string of at most {@code maxBytes} bytes. */
  public String utf8(String field, int maxBytes) {
    byte[] b = lengthPrefixed(field, maxBytes);
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b)).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(field + ": not UTF-8");
    }
  }

  /** Fails unless every byte was read. */
  public void end(String what) {
    if (in.hasRemaining()) {
      throw new IllegalArgumentException(what + ": " + in.remaining() + " unexpected trailing bytes");
    }
  }

  private void need(int n, String field) {
    if (in.remaining() < n) {
      throw new IllegalArgumentException(field + ": truncated");
    }
  }
}
