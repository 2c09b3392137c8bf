package dev.floe.swarm.chunk;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Everything signed about a chunk, without its payload: the chunk id {@code (epoch, seq)}, the
 * absolute stream position of its first byte, the origin's wall-clock time when it was cut, its
 * duration, flags, payload length and the SHA-256 of the payload. Signing the payload's digest
 * rather than the payload makes the header verifiable on its own: HELLO carries the sender's
 * latest header so a joining node learns an authenticated live edge ("secure tune-in"). Immutable.
 *
 * <p>Signed message: {@code "floe/1 chunk" 0x00}, epoch u32, seq u64, position u64,
 * originTimeMillis u64, durationMicros u32, flags u16, payloadLength u32, sha256[32].
 */
public final class ChunkHeader extends Signed {
  /** Flag: the first chunk after a new {@link SignedStreamHeader} (chained Ogg). */
  public static final int FLAG_HEADER_CHANGE = 1;
  /** SHA-256 length. */
  public static final int DIGEST_LENGTH = 32;

  private final int epoch;
  private final long seq;
  private final long position;
  private final long originTimeMillis;
  private final int durationMicros;
  private final int flags;
  private final int payloadLength;
  private final byte[] digest;

  ChunkHeader(int epoch, long seq, long position, long originTimeMillis, int durationMicros,
      int flags, int payloadLength, byte[] digest, byte[] signature) {
    super(signature);
    if (seq < 0 || position < 0 || originTimeMillis < 0 || durationMicros < 0 || payloadLength < 0) {
      throw new IllegalArgumentException("chunk fields must be non-negative");
    }
    if ((flags & ~0xFFFF) != 0) {
      throw new IllegalArgumentException("chunk flags are 16 bits: " + flags);
    }
    if (digest.length != DIGEST_LENGTH) {
      throw new IllegalArgumentException("digest must be 32 bytes");
    }
    this.epoch = epoch;
    this.seq = seq;
    this.position = position;
    this.originTimeMillis = originTimeMillis;
    this.durationMicros = durationMicros;
    this.flags = flags;
    this.payloadLength = payloadLength;
    this.digest = digest;
  }

  static ChunkHeader sign(OriginKey key, int epoch, long seq, long position, long originTimeMillis,
      int durationMicros, int flags, ByteBuffer payload) {
    byte[] digest = sha256(payload);
    int n = payload.remaining();
    ChunkHeader unsigned = new ChunkHeader(epoch, seq, position, originTimeMillis, durationMicros,
        flags, n, digest, NO_SIGNATURE);
    return new ChunkHeader(epoch, seq, position, originTimeMillis, durationMicros, flags, n, digest,
        key.sign(unsigned.signedMessage()));
  }

  static byte[] sha256(ByteBuffer payload) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(payload.duplicate());
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads the wire form: epoch u32, seq, position, originTimeMillis, durationMicros, flags,
   * payloadLength (varints), digest[32], signature[64].
   *
   * @throws IllegalArgumentException naming the malformed field
   */
  public static ChunkHeader read(FieldReader in) {
    int epoch = in.u32("epoch");
    long seq = in.varint("seq", Long.MAX_VALUE);
    long position = in.varint("position", Long.MAX_VALUE);
    long time = in.varint("originTimeMillis", Long.MAX_VALUE);
    int duration = in.varint32("durationMicros", Integer.MAX_VALUE);
    int flags = in.varint32("flags", 0xFFFF);
    int length = in.varint32("payloadLength", Integer.MAX_VALUE);
    byte[] digest = in.bytes(DIGEST_LENGTH, "digest");
    return new ChunkHeader(epoch, seq, position, time, duration, flags, length, digest,
        in.bytes(SIGNATURE_LENGTH, "signature"));
  }

  @Override
  public void write(FieldWriter out) {
    writeFields(out);
    out.bytes(digest).bytes(signature);
  }

  /** The varint fields shared with {@link SignedChunk}'s wire form. */
  void writeFields(FieldWriter out) {
    out.u32(epoch).varint(seq).varint(position).varint(originTimeMillis).varint(durationMicros)
        .varint(flags).varint(payloadLength);
  }

  @Override
  String domain() {
    return "floe/1 chunk";
  }

  @Override
  void writeSigned(FieldWriter out) {
    out.u32(epoch).u64(seq).u64(position).u64(originTimeMillis).u32(durationMicros).u16(flags)
        .u32(payloadLength).bytes(digest);
  }

  /** The epoch (origin restart or source reconnect count, random start). */
  public int epoch() {
    return epoch;
  }

  /** The chunk's number within its epoch, from 0. */
  public long seq() {
    return seq;
  }

  /** Absolute stream position (audio bytes since the stream began) of the first payload byte. */
  public long position() {
    return position;
  }

  /** The origin's UTC wall-clock time, in milliseconds, when it cut this chunk. */
  public long originTimeMillis() {
    return originTimeMillis;
  }

  /** Audio duration of the payload in microseconds. */
  public int durationMicros() {
    return durationMicros;
  }

  /** Flag bits ({@link #FLAG_HEADER_CHANGE}). */
  public int flags() {
    return flags;
  }

  /** The signed payload length in bytes. */
  public int payloadLength() {
    return payloadLength;
  }

  /** A copy of the signed SHA-256 of the payload. */
  public byte[] digest() {
    return digest.clone();
  }

  @Override
  public String toString() {
    return "ChunkHeader[" + epoch + ":" + seq + " @" + position + " t=" + originTimeMillis + " "
        + durationMicros + "us flags=" + flags + " len=" + payloadLength + " sha256="
        + HexFormat.of().formatHex(digest, 0, 4) + "..]";
  }
}
