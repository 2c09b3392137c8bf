package dev.floe.proxy.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A certificate chain and its private key read from PEM files, as Let's Encrypt clients write
 * them: {@code fullchain.pem} (server certificate first) and {@code privkey.pem}. Keys may be
 * PKCS#8 ({@code BEGIN PRIVATE KEY}: RSA, EC, Ed25519) or PKCS#1 RSA ({@code BEGIN RSA PRIVATE
 * KEY}). Not supported, with a message saying how to convert: SEC1 EC keys ({@code BEGIN EC
 * PRIVATE KEY}) and encrypted keys. Pure JDK; no files are kept open.
 *
 * @param key the private key
 * @param chain the certificates, server certificate first; never empty
 */
public record PemCredentials(PrivateKey key, List<X509Certificate> chain) {
  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");
  private static final String TO_PKCS8 = "convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY"
      + " -out KEY.pkcs8";

  /** Copies the chain; it must not be empty. */
  public PemCredentials {
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("empty certificate chain");
    }
  }

  /** Names the certificate, never the key. */
  @Override
  public String toString() {
    return "PemCredentials[" + describe(certificate()) + ", " + chain.size() + " certificates]";
  }

  /** Subject, serial (hex) and notAfter of a certificate, for logs. */
  public static String describe(X509Certificate c) {
    return c.getSubjectX500Principal().getName() + ", serial " + c.getSerialNumber().toString(16)
        + ", valid until " + c.getNotAfter().toInstant();
  }

  /** The server certificate (the chain's first). */
  public X509Certificate certificate() {
    return chain.get(0);
  }

  /**
   * Reads both files and checks that the key belongs to the certificate.
   *
   * @throws GeneralSecurityException with a message naming the file at fault
   */
  public static PemCredentials read(Path certificate, Path key) throws GeneralSecurityException {
    List<X509Certificate> chain = certificates(certificate);
    PrivateKey k = privateKey(key);
    if (!matches(k, chain.get(0))) {
      throw new GeneralSecurityException(key + " does not match the certificate in "
          + certificate);
    }
    return new PemCredentials(k, chain);
  }

  /**
   * The certificates of a PEM file, in file order; fails naming the file when there are none.
   * Other PEM blocks are skipped, so the file may also hold the key (as Icecast's
   * {@code <ssl-certificate>} does).
   */
  public static List<X509Certificate> certificates(Path file) throws GeneralSecurityException {
    byte[] bytes = bytes(file);
    StringBuilder certs = new StringBuilder();
    java.util.regex.Matcher m = BLOCK.matcher(new String(bytes,
        java.nio.charset.StandardCharsets.ISO_8859_1));
    while (m.find()) {
      if (m.group(1).equals("CERTIFICATE")) {
        certs.append(m.group()).append('\n');
      }
    }
    if (certs.length() > 0) {
      bytes = certs.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
    try {
      List<X509Certificate> chain = CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(bytes)).stream()
          .map(X509Certificate.class::cast).toList();
      if (chain.isEmpty()) {
        throw new GeneralSecurityException(file + ": no PEM certificate in it");
      }
      return chain;
    } catch (GeneralSecurityException e) {
      throw e.getMessage() != null && e.getMessage().startsWith(file.toString()) ? e
          : new GeneralSecurityException(file + ": not a PEM certificate (" + e.getMessage()
              + ")", e);
    }
  }

  /** The first private key of a PEM file; fails naming the file. */
  public static PrivateKey privateKey(Path file) throws GeneralSecurityException {
    Matcher m = BLOCK.matcher(new String(bytes(file), StandardCharsets.US_ASCII));
    while (m.find()) {
      String type = m.group(1);
      byte[] der;
      try {
        der = Base64.getMimeDecoder().decode(m.group(2));
      } catch (IllegalArgumentException e) {
        throw new GeneralSecurityException(file + ": bad base64 in " + type, e);
      }
      switch (type) {
        case "PRIVATE KEY":
          return pkcs8(file, der, List.of("RSA", "EC", "Ed25519", "Ed448"));
        case "RSA PRIVATE KEY":
          return pkcs8(file, rsaPkcs1ToPkcs8(der), List.of("RSA"));
        case "EC PRIVATE KEY":
          throw new GeneralSecurityException(file + ": a SEC1 EC key is not supported; "
              + TO_PKCS8);
        case "ENCRYPTED PRIVATE KEY":
          throw new GeneralSecurityException(file + ": an encrypted key is not supported; "
              + TO_PKCS8);
        default:
          break; // EC PARAMETERS and the like precede some keys
      }
    }
    throw new GeneralSecurityException(file + ": no PEM private key in it");
  }

  /** Whether {@code key} signs what the certificate's public key verifies. */
  public static boolean matches(PrivateKey key, X509Certificate certificate) {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> "EdDSA";
    };
    byte[] probe = new byte[32];
    new SecureRandom().nextBytes(probe);
    try {
      Signature s = Signature.getInstance(algorithm);
      s.initSign(key);
      s.update(probe);
      byte[] signature = s.sign();
      Signature v = Signature.getInstance(algorithm);
      v.initVerify(certificate.getPublicKey());
      v.update(probe);
      return v.verify(signature);
    } catch (GeneralSecurityException e) {
      return false; // another key type, or a key the provider rejects: not this certificate's
    }
  }

  private static PrivateKey pkcs8(Path file, byte[] der, List<String> algorithms)
      throws GeneralSecurityException {
    for (String algorithm : algorithms) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new GeneralSecurityException(file + ": not an RSA, EC or EdDSA private key");
  }

  /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo (version 0, rsaEncryption). */
  static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
    byte[] head = {0x02, 0x01, 0x00, // INTEGER 0
        0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01,
        0x01, 0x01, 0x05, 0x00}; // SEQUENCE { OID 1.2.840.113549.1.1.1, NULL }
    byte[] octets = der(0x04, pkcs1);
    byte[] body = new byte[head.length + octets.length];
    System.arraycopy(head, 0, body, 0, head.length);
    System.arraycopy(octets, 0, body, head.length, octets.length);
    return der(0x30, body);
  }

  /** One DER tag-length-value. */
  private static byte[] der(int tag, byte[] content) {
    int n = content.length;
    int lengthBytes = n < 0x80 ? 0 : n < 0x100 ? 1 : n < 0x10000 ? 2 : 3;
    byte[] out = new byte[2 + lengthBytes + n];
    out[0] = (byte) tag;
    if (lengthBytes == 0) {
      out[1] = (byte) n;
    } else {
      out[1] = (byte) (0x80 | lengthBytes);
      for (int i = 0; i < lengthBytes; i++) {
        out[2 + i] = (byte) (n >>> (8 * (lengthBytes - 1 - i)));
      }
    }
    System.arraycopy(content, 0, out, 2 + lengthBytes, n);
    return out;
  }

  private static byte[] bytes(Path file) throws GeneralSecurityException {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      String why = e instanceof NoSuchFileException ? "file not found"
          : e instanceof AccessDeniedException ? "permission denied" : e.toString();
      throw new GeneralSecurityException(file + ": cannot read: " + why, e);
    }
  }
}
