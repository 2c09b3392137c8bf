package dev.floe.swarm.wire;

/**
 * A peer broke the wire protocol. The {@link Kind} says which rule; the connection must be closed
 * (a {@link FrameDecoder} that threw stays failed).
 */
public final class FrameException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Which rule was broken. */
  public enum Kind {
    /** The connection did not start with {@link PeerWire#MAGIC}. */
    BAD_MAGIC,
    /** The length prefix is an overlong varint. */
    BAD_LENGTH,
    /** A frame of length 0 (no type byte). */
    EMPTY_FRAME,
    /** The length exceeds the limit of the frame's type (or of any type). */
    FRAME_TOO_LARGE,
    /** An unknown critical type (below 0x80). */
    UNKNOWN_TYPE,
    /** The first frame was not HELLO. */
    HELLO_EXPECTED,
    /** The payload does not parse as its type (a field truncated, out of range, trailing bytes). */
    MALFORMED
  }

  private final Kind kind;

  FrameException(Kind kind, String message) {
    super(kind + ": " + message);
    this.kind = kind;
  }

  /** The rule broken. */
  public Kind kind() {
    return kind;
  }
}
