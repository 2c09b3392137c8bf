package dev.floe.proxy.config;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads and validates {@code floe.server.trusted-proxies}, {@code forwarded-header} and {@code
 * proxy-protocol} (with {@code tls.proxy-protocol}) into {@link ProxySettings}.
 */
final class ProxiesParser {
  private ProxiesParser() {}

  /** The settings, or null when a problem was recorded ({@code tls} null after its own). */
  static ProxySettings parse(Fields server, TlsSettings tls) {
    List<AddressRange> trusted = trusted(server);
    String header = server.text("forwarded-header", false);
    if (header != null && !List.of("x-forwarded-for", "forwarded")
        .contains(header.toLowerCase(Locale.ROOT))) {
      server.problem("forwarded-header", "expected X-Forwarded-For or Forwarded, got \""
          + header + "\"");
      header = null;
    }
    Boolean proxyProtocol = server.flag("proxy-protocol");
    if (trusted != null && trusted.isEmpty()) {
      String why = "is on, but trusted-proxies is empty: the PROXY header is only read from a"
          + " trusted proxy; list the proxy's address there";
      if (Boolean.TRUE.equals(proxyProtocol)) {
        server.problem("proxy-protocol", why);
      }
      if (tls != null && tls.proxyProtocol()) {
        server.problemBelow("tls.proxy-protocol", why);
      }
    }
    if (trusted == null || header == null || proxyProtocol == null) {
      return null;
    }
    return new ProxySettings(trusted, header, proxyProtocol);
  }

  /** {@code trusted-proxies}: IP addresses and CIDR ranges; null after a problem. */
  private static List<AddressRange> trusted(Fields f) {
    ConfigValue value = f.present("trusted-proxies");
    if (value == null) {
      return null;
    }
    if (value.valueType() != ConfigValueType.LIST) {
      f.problem("trusted-proxies", "expected a list of IP addresses and CIDR ranges, got "
          + Fields.describe(value));
      return null;
    }
    List<AddressRange> out = new ArrayList<>();
    boolean ok = true;
    ConfigList list = (ConfigList) value;
    for (int i = 0; i < list.size(); i++) {
      AddressRange r = AddressRange.parse(Fields.textOf(list.get(i)));
      if (r == null) {
        f.problemBelow("trusted-proxies[" + i + "]", "expected an IP address or a"
            + " CIDR range such as 127.0.0.1, 10.0.0.0/8 or fd00::/8, got "
            + Fields.describe(list.get(i)));
        ok = false;
      } else {
        out.add(r);
      }
    }
    return ok ? out : null;
  }
}
