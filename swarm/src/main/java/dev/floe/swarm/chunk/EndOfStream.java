package dev.floe.swarm.chunk;

/**
 * The origin's signed statement that an epoch has ended after chunk {@code nextSeq - 1} (its
 * source stopped): nodes stop waiting for later chunks of that epoch. Immutable.
 *
 * <p>Wire: epoch u32, nextSeq varint, signature[64]. Signed: {@code "floe/1 end-of-stream" 0x00},
 * epoch u32, nextSeq u64.
 */
public final class EndOfStream extends Signed {
  private final int epoch;
  private final long nextSeq;

  private EndOfStream(int epoch, long nextSeq, byte[] signature) {
    super(signature);
    if (nextSeq < 0) {
      throw new IllegalArgumentException("end of stream: nextSeq < 0");
    }
    this.epoch = epoch;
    this.nextSeq = nextSeq;
  }

  /** Signs the end of {@code epoch}, whose chunks were {@code 0 .. nextSeq - 1}. */
  public static EndOfStream sign(OriginKey key, int epoch, long nextSeq) {
    return new EndOfStream(epoch, nextSeq,
        key.sign(new EndOfStream(epoch, nextSeq, NO_SIGNATURE).signedMessage()));
  }

  /**
   * Reads the wire form.
   *
   * @throws IllegalArgumentException naming the malformed field
   */
  public static EndOfStream read(FieldReader in) {
    int epoch = in.u32("epoch");
    long nextSeq = in.varint("nextSeq", Long.MAX_VALUE);
    return new EndOfStream(epoch, nextSeq, in.bytes(SIGNATURE_LENGTH, "signature"));
  }

  @Override
  public void write(FieldWriter out) {
    out.u32(epoch).varint(nextSeq).bytes(signature);
  }

  @Override
  String domain() {
    return "floe/1 end-of-stream";
  }

  @Override
  void writeSigned(FieldWriter out) {
    out.u32(epoch).u64(nextSeq);
  }

  /** The epoch that ended. */
  public int epoch() {
    return epoch;
  }

  /** One past the last chunk's seq (0: the epoch had no chunk). */
  public long nextSeq() {
    return nextSeq;
  }

  @Override
  public String toString() {
    return "EndOfStream[" + epoch + ":" + nextSeq + "]";
  }
}
