package dev.floe.swarm.wire;

import dev.floe.swarm.chunk.SignedChunk;
import dev.floe.swarm.chunk.MetadataRecord;
import dev.floe.swarm.chunk.SignedStreamHeader;

/**
 * Frame type codes and the largest frame length (type byte plus payload) each may have. Codes
 * below 0x80 are critical (an unknown one is a protocol error); codes from 0x80 are optional
 * extensions that a decoder skips when it does not know them (at most {@link #MAX_OPTIONAL}
 * bytes).
 */
public enum FrameType {
  HELLO(0x01, 512),
  GOODBYE(0x02, 1024),
  PING(0x03, 16),
  PONG(0x04, 16),
  REJECT(0x05, 1024),
  BUFFER_MAP(0x10, 64),
  HAVE(0x11, 256),
  REQUEST(0x12, 256),
  CHUNK(0x14, SignedChunk.MAX_PAYLOAD + 256),
  NOT_FOUND(0x15, 256),
  SUBSCRIBE(0x20, 32),
  UNSUBSCRIBE(0x21, 8),
  STREAM_HEADER(0x50, SignedStreamHeader.MAX_BYTES + 128),
  METADATA(0x51, 2 * MetadataRecord.MAX_TEXT + 128),
  END_OF_STREAM(0x53, 128),
  ANNOUNCE(0x60, 64),
  PEERS(0x61, 4096);

  /** Largest optional (unknown, skipped) frame. */
  public static final int MAX_OPTIONAL = 4096;
  /** Largest frame of any type. */
  public static final int MAX_FRAME = SignedChunk.MAX_PAYLOAD + 256;

  private static final FrameType[] BY_CODE = new FrameType[256];

  static {
    for (FrameType t : values()) {
      BY_CODE[t.code] = t;
    }
  }

  private final int code;
  private final int maxLength;

  FrameType(int code, int maxLength) {
    this.code = code;
    this.maxLength = maxLength;
  }

  /** The type byte. */
  public int code() {
    return code;
  }

  /** Largest frame length (type byte plus payload). */
  public int maxLength() {
    return maxLength;
  }

  /** The type with this code, or null. */
  public static FrameType of(int code) {
    return BY_CODE[code & 0xFF];
  }
}
