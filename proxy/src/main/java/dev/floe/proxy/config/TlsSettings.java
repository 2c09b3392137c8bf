package dev.floe.proxy.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The HTTPS listener ({@code floe.server.tls} in HOCON). Produced and validated by
 * {@link ConfigLoader}: when {@code port} is not 0 the loader has read both files, and the key
 * matches the certificate. The files may change afterwards (a renewal): the server reads them
 * again on reload.
 *
 * @param port TCP port of the HTTPS listener; 0 means no HTTPS listener
 * @param bind address to listen on (default: {@code floe.server.bind})
 * @param certificate PEM certificate chain, server certificate first ({@code fullchain.pem});
 *     null when {@code port} is 0
 * @param key PEM private key of that certificate ({@code privkey.pem}); null when {@code port}
 *     is 0
 * @param proxyProtocol whether trusted proxies on this port begin each connection with a PROXY
 *     protocol header, before TLS ({@code tls.proxy-protocol}; see {@link ProxySettings})
 */
public record TlsSettings(int port, String bind, Path certificate, Path key,
    boolean proxyProtocol) {

  /** Checks for nulls: the paths are required when the listener is on. */
  public TlsSettings {
    Objects.requireNonNull(bind, "bind");
    if (port != 0) {
      Objects.requireNonNull(certificate, "certificate");
      Objects.requireNonNull(key, "key");
    }
  }

  /** An HTTPS listener without the PROXY protocol. */
  public TlsSettings(int port, String bind, Path certificate, Path key) {
    this(port, bind, certificate, key, false);
  }

  /** Whether an HTTPS listener is configured. */
  public boolean enabled() {
    return port != 0;
  }
}
