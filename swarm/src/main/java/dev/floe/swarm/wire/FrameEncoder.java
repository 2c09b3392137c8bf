package dev.floe.swarm.wire;

import dev.floe.swarm.chunk.FieldWriter;

/**
 * Writes frames: a varint length (of the type byte plus payload, 1 to 3 bytes), the type byte,
 * the payload. Stateless; the connection's first bytes are {@link PeerWire#magicBytes()}.
 */
public final class FrameEncoder {
  private FrameEncoder() {}

  /**
   * The frame's bytes.
   *
   * @throws IllegalArgumentException if the frame exceeds its type's {@link FrameType#maxLength()}
   */
  public static byte[] encode(Frame frame) {
    FieldWriter payload = new FieldWriter();
    frame.writePayload(payload);
    int length = 1 + payload.size();
    if (length > frame.type().maxLength()) {
      throw new IllegalArgumentException(frame.type() + " frame of " + length + " bytes exceeds "
          + frame.type().maxLength());
    }
    return new FieldWriter().varint(length).u8(frame.type().code()).bytes(payload.toByteArray())
        .toByteArray();
  }

  /** The number of bytes {@link #encode(Frame)} writes. */
  public static int size(Frame frame) {
    return encode(frame).length;
  }
}
