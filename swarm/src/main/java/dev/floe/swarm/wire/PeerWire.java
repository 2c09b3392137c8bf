package dev.floe.swarm.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * How a peer connection starts. Both ends send the 8-byte {@link #MAGIC} first, then frames; the
 * first frame each way is HELLO.
 *
 * <p>The magic starts with a 0x00 byte, which nothing else that reaches Floe's port can start
 * with: an HTTP request starts with a method token (visible ASCII, RFC 9110), a SHOUTcast v1
 * source starts with its password line (text that encoders hold as a NUL-terminated C string), a
 * TLS ClientHello with 0x16 and HTTP/2 with {@code PRI}. So the front decides at the first byte,
 * and HTTP is never delayed waiting for more: any other first byte is HTTP. A length-prefixed
 * decoder is never fed {@code "GET "} as a frame length. The rest, {@code FLOE\r\n\x1A}, follows
 * PNG's signature: it names the protocol and catches line-ending translation.
 */
public final class PeerWire {
  /** The connection magic as ISO-8859-1 characters: {@code 00 46 4C 4F 45 0D 0A 1A}. */
  public static final String MAGIC = "\0FLOE\r\n\u001A";
  /** Protocol version sent in HELLO. */
  public static final int VERSION = 1;

  private static final byte[] MAGIC_BYTES = MAGIC.getBytes(StandardCharsets.ISO_8859_1);

  /** What the first bytes of a connection say. */
  public enum Sniff {
    /** The bytes are the peer magic. */
    PEER,
    /** Not a peer: hand the connection to HTTP. */
    NOT_PEER,
    /** The bytes so far are a prefix of the magic: wait for more. */
    NEED_MORE
  }

  private PeerWire() {}

  /** A copy of the magic's 8 bytes. */
  public static byte[] magicBytes() {
    return MAGIC_BYTES.clone();
  }

  /**
   * Classifies a connection by its first bytes, from {@code first}'s position (not moved). An
   * empty buffer needs more; any first byte but 0x00 is {@link Sniff#NOT_PEER} at once.
   */
  public static Sniff looksLikePeer(ByteBuffer first) {
    int n = Math.min(first.remaining(), MAGIC_BYTES.length);
    for (int i = 0; i < n; i++) {
      if (first.get(first.position() + i) != MAGIC_BYTES[i]) {
        return Sniff.NOT_PEER;
      }
    }
    return n == MAGIC_BYTES.length ? Sniff.PEER : Sniff.NEED_MORE;
  }
}
