package dev.floe.swarm.wire;

import dev.floe.swarm.chunk.FieldReader;
import dev.floe.swarm.wire.FrameException.Kind;
import java.nio.ByteBuffer;

/**
 * Decodes one direction of a peer connection from its first byte: the {@link PeerWire#MAGIC},
 * then frames, the first of which must be HELLO. A pure state machine fed slices of any size
 * (byte by byte included). It never holds more than one frame: a frame's buffer is allocated only
 * once its length and type have been checked against the type's limit. Unknown optional types
 * (0x80 and up, at most {@link FrameType#MAX_OPTIONAL} bytes) are skipped. After a {@link
 * FrameException} the decoder stays failed and rethrows it.
 *
 * <p>A decoder may be given a lower frame limit than the protocol's ({@link #limit}): a frame of
 * a known type longer than it fails as {@link Kind#FRAME_TOO_LARGE}, naming the type, before its
 * body is read. The limit only ever lowers each type's own maximum.
 */
public final class FrameDecoder {
  private static final byte[] MAGIC = PeerWire.magicBytes();

  private int maxFrame = FrameType.MAX_FRAME;

  private int magicSeen;
  private int length;
  private int lengthBytes;
  private boolean lengthDone;
  private FrameType type;
  private byte[] body;
  private int filled;
  private int skip;
  private boolean helloSeen;
  private FrameException failed;

  /** A decoder with the protocol's limits. */
  public FrameDecoder() {}

  /**
   * A decoder that also refuses frames longer than {@code maxFrame} bytes (type byte plus
   * payload).
   *
   * @throws IllegalArgumentException if {@code maxFrame} is below 2 or above {@link
   *     FrameType#MAX_FRAME}
   */
  public FrameDecoder(int maxFrame) {
    limit(maxFrame);
  }

  /**
   * Sets the configured frame limit for frames not yet started (see {@link #FrameDecoder(int)}).
   *
   * @throws IllegalArgumentException if {@code maxFrame} is out of range
   */
  public void limit(int maxFrame) {
    if (maxFrame < 2 || maxFrame > FrameType.MAX_FRAME) {
      throw new IllegalArgumentException("frame limit " + maxFrame + " outside 2.."
          + FrameType.MAX_FRAME);
    }
    this.maxFrame = maxFrame;
  }

  /** The configured frame limit. */
  public int limit() {
    return maxFrame;
  }

  /**
   * Consumes bytes from {@code in} up to the end of the next complete frame and returns it, or
   * returns null once {@code in} is exhausted without completing one. Call again until null.
   *
   * @throws FrameException on the first protocol violation (and on every later call)
   */
  public Frame next(ByteBuffer in) throws FrameException {
    if (failed != null) {
      throw failed;
    }
    try {
      return step(in);
    } catch (FrameException e) {
      failed = e;
      throw e;
    }
  }

  private Frame step(ByteBuffer in) throws FrameException {
    while (in.hasRemaining()) {
      if (magicSeen < MAGIC.length) {
        if (in.get() != MAGIC[magicSeen]) {
          throw new FrameException(Kind.BAD_MAGIC, "byte " + magicSeen + " of the magic differs");
        }
        magicSeen++;
      } else if (!lengthDone) {
        readLength(in.get() & 0xFF);
      } else if (type == null && skip == 0) {
        startFrame(in.get() & 0xFF);
        if (body != null && filled == body.length) {
          return finish();
        }
      } else if (skip > 0) {
        int n = Math.min(skip, in.remaining());
        in.position(in.position() + n);
        skip -= n;
        if (skip == 0) {
          reset();
        }
      } else {
        int n = Math.min(body.length - filled, in.remaining());
        in.get(body, filled, n);
        filled += n;
        if (filled == body.length) {
          return finish();
        }
      }
    }
    return null;
  }

  private void readLength(int b) throws FrameException {
    if (lengthBytes == 2 && (b & 0x80) != 0) {
      throw new FrameException(Kind.FRAME_TOO_LARGE, "length prefix longer than 3 bytes");
    }
    length |= (b & 0x7F) << (7 * lengthBytes);
    lengthBytes++;
    if ((b & 0x80) == 0) {
      if (b == 0 && lengthBytes > 1) {
        throw new FrameException(Kind.BAD_LENGTH, "overlong length varint");
      }
      if (length == 0) {
        throw new FrameException(Kind.EMPTY_FRAME, "frame length 0");
      }
      if (length > FrameType.MAX_FRAME) {
        throw new FrameException(Kind.FRAME_TOO_LARGE,
            "length " + length + " exceeds " + FrameType.MAX_FRAME);
      }
      lengthDone = true;
    }
  }

  private void startFrame(int code) throws FrameException {
    FrameType t = FrameType.of(code);
    if (t == null) {
      if (code < 0x80) {
        throw new FrameException(Kind.UNKNOWN_TYPE, String.format("critical type 0x%02x", code));
      }
      int max = Math.min(FrameType.MAX_OPTIONAL, maxFrame);
      if (length > max) {
        throw new FrameException(Kind.FRAME_TOO_LARGE, String.format(
            "optional type 0x%02x: length %d exceeds %d", code, length, max));
      }
      skip = length - 1;
      if (skip == 0) {
        reset();
      }
      return;
    }
    if (length > t.maxLength()) {
      throw new FrameException(Kind.FRAME_TOO_LARGE,
          t + ": length " + length + " exceeds " + t.maxLength());
    }
    if (length > maxFrame) {
      throw new FrameException(Kind.FRAME_TOO_LARGE,
          t + ": length " + length + " exceeds the configured limit " + maxFrame);
    }
    if (!helloSeen && t != FrameType.HELLO) {
      throw new FrameException(Kind.HELLO_EXPECTED, "first frame is " + t);
    }
    type = t;
    body = new byte[length - 1];
    filled = 0;
  }

  private Frame finish() throws FrameException {
    FrameType t = type;
    ByteBuffer payload = ByteBuffer.wrap(body);
    reset();
    try {
      Frame f = Frame.read(t, new FieldReader(payload));
      helloSeen = true;
      return f;
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new FrameException(Kind.MALFORMED, t + ": " + e.getMessage());
    }
  }

  private void reset() {
    length = 0;
    lengthBytes = 0;
    lengthDone = false;
    type = null;
    body = null;
    skip = 0;
  }
}
