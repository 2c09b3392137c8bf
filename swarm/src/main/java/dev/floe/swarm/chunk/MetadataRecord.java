package dev.floe.swarm.chunk;

import java.nio.charset.StandardCharsets;

/**
 * The ICY metadata ({@code StreamTitle}, {@code StreamUrl}) in force from chunk {@code fromSeq}
 * of an epoch. Nodes re-insert it into each listener's stream at that listener's {@code
 * icy-metaint}, so a peer can never forge in-band metadata. Immutable.
 *
 * <p>Wire: epoch u32, fromSeq varint, title and url (varint length, UTF-8 each), signature[64].
 * Signed: {@code "floe/1 metadata" 0x00}, epoch u32, fromSeq u64, then title and url each as u32
 * length plus UTF-8.
 */
public final class MetadataRecord extends Signed {
  /** Largest title or URL in UTF-8 bytes (an ICY block holds at most 4080). */
  public static final int MAX_TEXT = 4080;

  private final int epoch;
  private final long fromSeq;
  private final String title;
  private final String url;

  private MetadataRecord(int epoch, long fromSeq, String title, String url, byte[] signature) {
    super(signature);
    if (fromSeq < 0 || utf8(title).length > MAX_TEXT || utf8(url).length > MAX_TEXT) {
      throw new IllegalArgumentException("metadata: fromSeq < 0 or text over 4080 bytes");
    }
    this.epoch = epoch;
    this.fromSeq = fromSeq;
    this.title = title;
    this.url = url;
  }

  /** Signs a title and URL (either may be empty) with the origin key. */
  public static MetadataRecord sign(OriginKey key, int epoch, long fromSeq, String title,
      String url) {
    return new MetadataRecord(epoch, fromSeq, title, url,
        key.sign(new MetadataRecord(epoch, fromSeq, title, url, NO_SIGNATURE).signedMessage()));
  }

  /**
   * Reads the wire form.
   *
   * @throws IllegalArgumentException naming the malformed field
   */
  public static MetadataRecord read(FieldReader in) {
    int epoch = in.u32("epoch");
    long fromSeq = in.varint("fromSeq", Long.MAX_VALUE);
    String title = in.utf8("title", MAX_TEXT);
    String url = in.utf8("url", MAX_TEXT);
    return new MetadataRecord(epoch, fromSeq, title, url, in.bytes(SIGNATURE_LENGTH, "signature"));
  }

  @Override
  public void write(FieldWriter out) {
    byte[] t = utf8(title);
    byte[] u = utf8(url);
    out.u32(epoch).varint(fromSeq).varint(t.length).bytes(t).varint(u.length).bytes(u)
        .bytes(signature);
  }

  @Override
  String domain() {
    return "floe/1 metadata";
  }

  @Override
  void writeSigned(FieldWriter out) {
    byte[] t = utf8(title);
    byte[] u = utf8(url);
    out.u32(epoch).u64(fromSeq).u32(t.length).bytes(t).u32(u.length).bytes(u);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The epoch it belongs to. */
  public int epoch() {
    return epoch;
  }

  /** The first chunk seq it applies to. */
  public long fromSeq() {
    return fromSeq;
  }

  /** {@code StreamTitle}, possibly empty. */
  public String title() {
    return title;
  }

  /** {@code StreamUrl}, possibly empty. */
  public String url() {
    return url;
  }

  @Override
  public String toString() {
    return "MetadataRecord[" + epoch + ":" + fromSeq + " '" + title + "' " + url + "]";
  }
}
