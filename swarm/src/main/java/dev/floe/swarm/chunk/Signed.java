package dev.floe.swarm.chunk;

import java.util.Arrays;

/**
 * An object signed with Ed25519 by the origin key. The signed message is a domain tag (ASCII, then
 * a 0x00 byte) followed by a fixed-width encoding of the object's fields, so a signature for one
 * kind of object never verifies as another. Immutable; two objects are equal when their wire
 * encodings are.
 */
public abstract sealed class Signed
    permits ChunkHeader, SignedChunk, SignedStreamHeader, MetadataRecord, EndOfStream, PeerRecord {
  /** Ed25519 signature length. */
  public static final int SIGNATURE_LENGTH = 64;
  static final byte[] NO_SIGNATURE = new byte[SIGNATURE_LENGTH];

  final byte[] signature;

  Signed(byte[] signature) {
    if (signature.length != SIGNATURE_LENGTH) {
      throw new IllegalArgumentException("signature must be 64 bytes, got " + signature.length);
    }
    this.signature = signature;
  }

  /** The domain tag, e.g. {@code floe/1 chunk}. */
  abstract String domain();

  /** Writes the fixed-width signed fields (after the domain tag). */
  abstract void writeSigned(FieldWriter out);

  /** Writes the compact wire encoding, signature included. */
  public abstract void write(FieldWriter out);

  /** True if the signature is {@code key}'s signature of this object's fields. */
  public boolean verify(ChannelKey key) {
    return key.verifies(signedMessage(), signature);
  }

  /** A copy of the 64-byte signature. */
  public byte[] signature() {
    return signature.clone();
  }

  /** The exact bytes the signature covers. */
  final byte[] signedMessage() {
    FieldWriter w = new FieldWriter().ascii(domain()).u8(0);
    writeSigned(w);
    return w.toByteArray();
  }

  /** The wire encoding as an array. */
  public final byte[] toBytes() {
    FieldWriter w = new FieldWriter();
    write(w);
    return w.toByteArray();
  }

  @Override
  public final boolean equals(Object o) {
    return o != null && o.getClass() == getClass() && Arrays.equals(toBytes(), ((Signed) o).toBytes());
  }

  @Override
  public final int hashCode() {
    return Arrays.hashCode(toBytes());
  }
}
