package dev.floe.proxy.config;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Reverse proxies in front of Floe ({@code floe.server} keys {@code trusted-proxies}, {@code
 * forwarded-header}, {@code proxy-protocol}; the HTTPS port's {@code proxy-protocol} is in
 * {@link TlsSettings}). Only a connection from a trusted proxy may name the client it speaks for,
 * by the PROXY protocol header or by {@code forwardedHeader}; from anyone else both are ignored.
 *
 * @param trusted the proxies' addresses and ranges; empty: no proxy is believed
 * @param forwardedHeader the one header that names the client, lower case: {@code
 *     x-forwarded-for} or {@code forwarded} (RFC 7239); only one is read, because a proxy
 *     passes the other on from the client untouched
 * @param proxyProtocol whether trusted proxies on the plain port begin each connection with a
 *     PROXY protocol (v1 or v2) header
 */
public record ProxySettings(List<AddressRange> trusted, String forwardedHeader,
    boolean proxyProtocol) {
  /** No proxy trusted. */
  public static final ProxySettings NONE = new ProxySettings(List.of(), "x-forwarded-for", false);

  /** Copies the list and normalises the header name. */
  public ProxySettings {
    trusted = List.copyOf(trusted);
    forwardedHeader = Objects.requireNonNull(forwardedHeader, "forwardedHeader")
        .toLowerCase(Locale.ROOT);
  }

  /** Whether {@code address} is a trusted proxy. */
  public boolean isTrusted(InetAddress address) {
    for (AddressRange r : trusted) {
      if (r.contains(address)) {
        return true;
      }
    }
    return false;
  }
}
