package dev.floe.swarm.chunk;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * A channel's identity: the origin's raw 32-byte Ed25519 public key. Its text form is 52
 * lower-case base32 characters (RFC 4648, no padding), as it appears in a join address.
 * Immutable; equal when the raw bytes are equal.
 */
public final class ChannelKey {
  /** Raw Ed25519 public key length. */
  public static final int LENGTH = 32;
  /** Length of the base32 text form. */
  public static final int TEXT_LENGTH = 52;
  // X.509 SubjectPublicKeyInfo prefix of an Ed25519 key (RFC 8410): the raw key follows.
  private static final byte[] X509_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };

  private final byte[] raw;
  private final PublicKey publicKey;

  private ChannelKey(byte[] raw) {
    this.raw = raw;
    byte[] x509 = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + LENGTH);
    System.arraycopy(raw, 0, x509, X509_PREFIX.length, LENGTH);
    try {
      this.publicKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an Ed25519 public key: " + e.getMessage(), e);
    }
  }

  /** The key from its raw 32 bytes (copied). */
  public static ChannelKey of(byte[] raw) {
    if (raw.length != LENGTH) {
      throw new IllegalArgumentException("a channel key is 32 bytes, got " + raw.length);
    }
    return new ChannelKey(raw.clone());
  }

  /** The key from a JDK Ed25519 public key. */
  static ChannelKey of(PublicKey key) {
    byte[] x509 = key.getEncoded();
    return of(Arrays.copyOfRange(x509, x509.length - LENGTH, x509.length));
  }

  /**
   * Parses the base32 text form (either case).
   *
   * @throws IllegalArgumentException saying what is wrong with the text
   */
  public static ChannelKey parse(String text) {
    try {
      return new ChannelKey(Base32.decode(text, LENGTH));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("channel key " + e.getMessage(), e);
    }
  }

  /** A copy of the raw 32 bytes. */
  public byte[] raw() {
    return raw.clone();
  }

  /** True if {@code signature} is this key's valid Ed25519 signature of {@code message}. */
  boolean verifies(byte[] message, byte[] signature) {
    try {
      Signature v = Signature.getInstance("Ed25519");
      v.initVerify(publicKey);
      v.update(message);
      return v.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChannelKey k && Arrays.equals(raw, k.raw);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(raw);
  }

  /** The base32 text form. */
  @Override
  public String toString() {
    return Base32.encode(raw);
  }
}
