package dev.floe.proxy.server;

import dev.floe.proxy.config.PemCredentials;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS listener's certificate: an {@link SslContext} (Netty's JDK provider, no tcnative)
 * built from PEM files ({@link PemCredentials}), swapped atomically by {@link #reload}. Each new
 * connection takes the context current when it is accepted; connections already open keep the
 * one they were accepted with. Files that fail to load leave the current context in place.
 * Thread safe.
 */
public final class TlsCertificate {
  private static final Logger log = LoggerFactory.getLogger(TlsCertificate.class);

  /** A context and the certificate it presents. */
  private record Loaded(SslContext context, X509Certificate certificate) {}

  private final AtomicReference<Loaded> current;

  private TlsCertificate(Loaded first) {
    current = new AtomicReference<>(first);
  }

  /**
   * Loads the files and logs the certificate's subject, serial and expiry.
   *
   * @throws GeneralSecurityException naming the file that cannot be used
   */
  public static TlsCertificate load(Path certificate, Path key) throws GeneralSecurityException {
    Loaded first = read(certificate, key);
    log.info("TLS: certificate {}", PemCredentials.describe(first.certificate()));
    return new TlsCertificate(first);
  }

  /** The context for a connection accepted now. */
  public SslContext context() {
    return current.get().context();
  }

  /** The server certificate new handshakes present. */
  public X509Certificate certificate() {
    return current.get().certificate();
  }

  /**
   * Reads the files again and, when they load, gives new connections the new context; logs the
   * certificate's subject, serial and expiry, or the error naming the file.
   *
   * @return whether the new files were taken
   */
  public boolean reload(Path certificate, Path key) {
    try {
      Loaded next = read(certificate, key);
      current.set(next);
      log.info("TLS: reloaded certificate {} for new connections",
          PemCredentials.describe(next.certificate()));
      return true;
    } catch (GeneralSecurityException e) {
      log.error("TLS: keeping the current certificate: {}", e.getMessage());
      return false;
    }
  }

  private static Loaded read(Path certificate, Path key) throws GeneralSecurityException {
    PemCredentials pem = PemCredentials.read(certificate, key);
    try {
      SslContext context = SslContextBuilder
          .forServer(pem.key(), pem.chain().toArray(X509Certificate[]::new))
          .sslProvider(SslProvider.JDK)
          .build();
      return new Loaded(context, pem.certificate());
    } catch (SSLException e) {
      throw new GeneralSecurityException(certificate + " / " + key + ": " + e.getMessage(), e);
    }
  }
}
