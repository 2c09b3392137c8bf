package dev.floe.swarm.chunk;

import java.nio.ByteBuffer;

/**
 * A signed chunk: whole audio frames (about 0.5 s, 1 s under 128 kbit/s) plus the {@link
 * ChunkHeader} that names it. SignedChunk {@code seq} belongs to substream {@code seq % K}.
 *
 * <p>A chunk read from the wire is kept as received, so it can be judged: its payload may differ
 * in length from the signed {@link ChunkHeader#payloadLength()} (truncated or padded by a peer),
 * and {@link #verify(ChannelKey)} is then false. Wire form: the header's varint fields (without
 * the digest, which is recomputed), signature[64], then the payload up to the end of the frame.
 * Immutable.
 */
public final class SignedChunk extends Signed {
  /** Largest payload the origin signs: 64 KiB, over 1 s at 512 kbit/s. */
  public static final int MAX_PAYLOAD = 64 * 1024;

  private final ChunkHeader header;
  private final byte[] payload;

  private SignedChunk(ChunkHeader header, byte[] payload) {
    super(header.signature);
    this.header = header;
    this.payload = payload;
  }

  /**
   * Signs a chunk with the origin key.
   *
   * @param flags {@link ChunkHeader#FLAG_HEADER_CHANGE} or 0
   * @throws IllegalArgumentException if a field is negative or the payload exceeds {@link
   *     #MAX_PAYLOAD}
   */
  public static SignedChunk sign(OriginKey key, int epoch, long seq, long position,
      long originTimeMillis, int durationMicros, int flags, byte[] payload) {
    if (payload.length > MAX_PAYLOAD) {
      throw new IllegalArgumentException("chunk payload " + payload.length + " exceeds " + MAX_PAYLOAD);
    }
    byte[] copy = payload.clone();
    return new SignedChunk(ChunkHeader.sign(key, epoch, seq, position, originTimeMillis, durationMicros,
        flags, ByteBuffer.wrap(copy)), copy);
  }

  /**
   * Reads the wire form, taking every remaining byte after the signature as the payload.
   *
   * @throws IllegalArgumentException naming the malformed field
   */
  public static SignedChunk read(FieldReader in) {
    int epoch = in.u32("epoch");
    long seq = in.varint("seq", Long.MAX_VALUE);
    long position = in.varint("position", Long.MAX_VALUE);
    long time = in.varint("originTimeMillis", Long.MAX_VALUE);
    int duration = in.varint32("durationMicros", Integer.MAX_VALUE);
    int flags = in.varint32("flags", 0xFFFF);
    int length = in.varint32("payloadLength", Integer.MAX_VALUE);
    byte[] signature = in.bytes(SIGNATURE_LENGTH, "signature");
    byte[] payload = in.bytes(in.remaining(), "payload");
    ChunkHeader header = new ChunkHeader(epoch, seq, position, time, duration, flags, length,
        ChunkHeader.sha256(ByteBuffer.wrap(payload)), signature);
    return new SignedChunk(header, payload);
  }

  @Override
  public void write(FieldWriter out) {
    header.writeFields(out);
    out.bytes(signature).bytes(payload);
  }

  /**
   * True if the payload has its signed length and the header is {@code key}'s signature (the
   * header's digest is that of the payload as received).
   */
  @Override
  public boolean verify(ChannelKey key) {
    return payload.length == header.payloadLength() && header.verify(key);
  }

  @Override
  String domain() {
    return header.domain();
  }

  @Override
  void writeSigned(FieldWriter out) {
    header.writeSigned(out);
  }

  /** The signed header (with the digest of the payload as held). */
  public ChunkHeader header() {
    return header;
  }

  /** A read-only view of the payload as held. */
  public ByteBuffer payload() {
    return ByteBuffer.wrap(payload).asReadOnlyBuffer();
  }

  /** Payload bytes as held (compare {@link ChunkHeader#payloadLength()}). */
  public int heldLength() {
    return payload.length;
  }

  /** Shorthand for {@code header().epoch()}. */
  public int epoch() {
    return header.epoch();
  }

  /** Shorthand for {@code header().seq()}. */
  public long seq() {
    return header.seq();
  }

  @Override
  public String toString() {
    return "SignedChunk[" + header + ", held " + payload.length + " bytes]";
  }
}
