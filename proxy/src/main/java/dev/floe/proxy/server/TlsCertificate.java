package dev.floe.proxy.server;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS listener's certificate, from the PEM files Let's Encrypt writes ({@code fullchain.pem}
 * and {@code privkey.pem}, PKCS#8). {@link #reload()} reads the files again: new handshakes get
 * the new certificate, connections already open keep theirs. A file that fails to load leaves the
 * old certificate in place, with a log line that says why.
 */
public final class TlsCertificate {
  private static final Logger log = LoggerFactory.getLogger(TlsCertificate.class);

  private final Path certificate;
  private final Path key;
  private final AtomicReference<SslContext> context = new AtomicReference<>();
  private volatile BigInteger serial;

  private TlsCertificate(Path certificate, Path key) {
    this.certificate = certificate;
    this.key = key;
  }

  /** Loads the files once; fails with a message naming the file when they cannot be used. */
  public static TlsCertificate load(Path certificate, Path key) throws SSLException {
    TlsCertificate t = new TlsCertificate(certificate, key);
    t.read();
    return t;
  }

  /** The context new handshakes use. */
  public SslContext context() {
    return context.get();
  }

  /** The serial number of the certificate in use (for logs and tests). */
  public BigInteger serial() {
    return serial;
  }

  /** Reads the files again; returns whether the certificate in use changed. */
  public boolean reload() {
    BigInteger before = serial;
    try {
      read();
    } catch (SSLException | RuntimeException e) {
      log.error("TLS: keeping the current certificate: cannot load {} / {}: {}", certificate, key,
          e.getMessage());
      return false;
    }
    boolean changed = !serial.equals(before);
    if (changed) {
      log.info("TLS: new certificate {} (serial {}) for new connections", certificate,
          serial.toString(16));
    }
    return changed;
  }

  private void read() throws SSLException {
    File certFile = certificate.toFile();
    File keyFile = key.toFile();
    SslContext next = SslContextBuilder.forServer(certFile, keyFile).build();
    X509Certificate first;
    try (var in = Files.newInputStream(certificate)) {
      first = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    } catch (Exception e) {
      throw new SSLException("cannot read " + certificate + ": " + e.getMessage(), e);
    }
    context.set(next);
    serial = first.getSerialNumber();
  }
}
