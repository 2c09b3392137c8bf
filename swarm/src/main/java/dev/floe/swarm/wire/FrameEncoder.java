package dev.floe.swarm.wire;

import dev.floe.swarm.chunk.FieldWriter;
import java.nio.ByteBuffer;

/**
 * Writes frames: a varint length (of the type byte plus payload, 1 to 3 bytes), the type byte,
 * the payload. Stateless; the connection's first bytes are {@link PeerWire#magicBytes()}. A frame
 * is written straight into its destination, sized first by counting ({@link #size}), so each byte
 * of a chunk's payload is copied once; a chunk sent to many partners is encoded once by its
 * holder and the same bytes written to each.
 */
public final class FrameEncoder {
  private FrameEncoder() {}

  /**
   * The frame's bytes, in a new array of exactly {@link #size} bytes.
   *
   * @throws IllegalArgumentException if the frame exceeds its type's {@link FrameType#maxLength()}
   */
  public static byte[] encode(Frame frame) {
    byte[] bytes = new byte[size(frame)];
    encode(frame, ByteBuffer.wrap(bytes));
    return bytes;
  }

  /**
   * Writes the frame's {@link #size} bytes into {@code out} from its position, moving it past
   * them.
   *
   * @throws IllegalArgumentException if the frame exceeds its type's {@link FrameType#maxLength()}
   * @throws java.nio.BufferOverflowException if {@code out} has less room than {@link #size}
   */
  public static void encode(Frame frame, ByteBuffer out) {
    FieldWriter w = FieldWriter.into(out).varint(length(frame)).u8(frame.type().code());
    frame.writePayload(w);
  }

  /**
   * The number of bytes {@link #encode(Frame)} writes, counted without encoding.
   *
   * @throws IllegalArgumentException if the frame exceeds its type's {@link FrameType#maxLength()}
   */
  public static int size(Frame frame) {
    int length = length(frame);
    return FieldWriter.counter().varint(length).size() + length;
  }

  // The length prefix's value: the type byte plus the payload, checked against the type's limit.
  private static int length(Frame frame) {
    FieldWriter payload = FieldWriter.counter();
    frame.writePayload(payload);
    int length = 1 + payload.size();
    if (length > frame.type().maxLength()) {
      throw new IllegalArgumentException(frame.type() + " frame of " + length + " bytes exceeds "
          + frame.type().maxLength());
    }
    return length;
  }
}
