package dev.floe.swarm.chunk;

import java.nio.ByteBuffer;

/**
 * Codec setup data that every new listener needs before the first chunk (the Ogg BOS and header
 * pages: Vorbis identification, comment and setup; OpusHead and OpusTags), in force from chunk
 * {@code fromSeq} of an epoch; a chained Ogg stream gets a new one at a chunk flagged {@link
 * ChunkHeader#FLAG_HEADER_CHANGE}. MP3 and AAC streams have none. Immutable.
 *
 * <p>Wire: epoch u32, fromSeq varint, length varint, bytes, signature[64]. Signed: {@code "floe/1
 * stream-header" 0x00}, epoch u32, fromSeq u64, length u32, bytes.
 */
public final class SignedStreamHeader extends Signed {
  /**
   * SignedChunk flag (bit 1 of {@link ChunkHeader#flags()}): a stream header is in force for this chunk,
   * so a node must hand the header of the chunk's epoch with the highest {@code fromSeq} at or
   * below the chunk's seq to its mount before the chunk. Set on every chunk of an Ogg stream once
   * its header is known; never on MP3 or AAC chunks. Signed like every flag, so a node that joins
   * mid-stream knows it has to wait for the header.
   */
  public static final int CHUNK_FLAG_IN_FORCE = 2;

  /** Largest header: 64 KiB (Vorbis setup headers are a few KiB). */
  public static final int MAX_BYTES = 64 * 1024;

  private final int epoch;
  private final long fromSeq;
  private final byte[] bytes;

  private SignedStreamHeader(int epoch, long fromSeq, byte[] bytes, byte[] signature) {
    super(signature);
    if (fromSeq < 0 || bytes.length > MAX_BYTES) {
      throw new IllegalArgumentException("stream header: fromSeq < 0 or more than 64 KiB");
    }
    this.epoch = epoch;
    this.fromSeq = fromSeq;
    this.bytes = bytes;
  }

  /** Signs header pages with the origin key. */
  public static SignedStreamHeader sign(OriginKey key, int epoch, long fromSeq, byte[] bytes) {
    byte[] copy = bytes.clone();
    return new SignedStreamHeader(epoch, fromSeq, copy,
        key.sign(new SignedStreamHeader(epoch, fromSeq, copy, NO_SIGNATURE).signedMessage()));
  }

  /**
   * Reads the wire form.
   *
   * @throws IllegalArgumentException naming the malformed field
   */
  public static SignedStreamHeader read(FieldReader in) {
    int epoch = in.u32("epoch");
    long fromSeq = in.varint("fromSeq", Long.MAX_VALUE);
    byte[] bytes = in.lengthPrefixed("header", MAX_BYTES);
    return new SignedStreamHeader(epoch, fromSeq, bytes, in.bytes(SIGNATURE_LENGTH, "signature"));
  }

  @Override
  public void write(FieldWriter out) {
    out.u32(epoch).varint(fromSeq).varint(bytes.length).bytes(bytes).bytes(signature);
  }

  @Override
  String domain() {
    return "floe/1 stream-header";
  }

  @Override
  void writeSigned(FieldWriter out) {
    out.u32(epoch).u64(fromSeq).u32(bytes.length).bytes(bytes);
  }

  /** The epoch it belongs to. */
  public int epoch() {
    return epoch;
  }

  /** The first chunk seq it applies to. */
  public long fromSeq() {
    return fromSeq;
  }

  /** A read-only view of the header pages. */
  public ByteBuffer bytes() {
    return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
  }

  @Override
  public String toString() {
    return "SignedStreamHeader[" + epoch + ":" + fromSeq + ", " + bytes.length + " bytes]";
  }
}
