package dev.floe.proxy.server;

import dev.floe.proxy.config.AddressRange;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The client a chain of reverse proxies names, from {@code X-Forwarded-For} or {@code Forwarded}
 * (RFC 7239). Pure. Each proxy appends the address it got the request from, so the list reads
 * client first, nearest proxy last; everything left of a hop that is not trusted may be forged by
 * that hop. The client is therefore the rightmost address that is not a trusted proxy ({@link
 * #client}).
 */
public final class ForwardedHeaders {
  /** Hops read at most; a longer list is cut on the left (the forgeable side). */
  public static final int MAX_HOPS = 64;

  private ForwardedHeaders() {}

  /**
   * The hops of every {@code header} line in order, left to right; an entry that is not an IP
   * literal ({@code unknown}, an obfuscated {@code _name}, garbage) is null.
   *
   * @param forwarded true for RFC 7239's {@code Forwarded} (the {@code for=} of each element),
   *     false for {@code X-Forwarded-For} (comma-separated addresses)
   */
  public static List<InetSocketAddress> hops(List<String> lines, boolean forwarded) {
    List<InetSocketAddress> out = new ArrayList<>();
    for (String line : lines) {
      for (String element : line.split(",")) {
        String value = forwarded ? forValue(element) : element.strip();
        if (value != null) {
          out.add(address(value));
        }
      }
    }
    return out.size() > MAX_HOPS ? out.subList(out.size() - MAX_HOPS, out.size()) : out;
  }

  /**
   * The client: walking from {@code peer} (the nearest hop) leftwards through {@code hops} while
   * the current hop is trusted. An unreadable hop stops the walk at the trusted hop to its right,
   * which is the last address known.
   */
  public static InetSocketAddress client(InetSocketAddress peer, List<InetSocketAddress> hops,
      Predicate<InetAddress> trusted) {
    InetSocketAddress current = peer;
    for (int i = hops.size() - 1; i >= 0 && trusted.test(current.getAddress()); i--) {
      InetSocketAddress hop = hops.get(i);
      if (hop == null) {
        break;
      }
      current = hop;
    }
    return current;
  }

  /** The {@code for=} value of one {@code Forwarded} element, unquoted; null when absent. */
  private static String forValue(String element) {
    for (String pair : element.split(";")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).strip().toLowerCase(Locale.ROOT).equals("for")) {
        String v = pair.substring(eq + 1).strip();
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
          v = v.substring(1, v.length() - 1);
        }
        return v;
      }
    }
    return null;
  }

  /**
   * {@code 192.0.2.1}, {@code 192.0.2.1:4711}, {@code 2001:db8::1}, {@code [2001:db8::1]} or
   * {@code [2001:db8::1]:4711} as an address (port 0 when not given); null otherwise.
   */
  public static InetSocketAddress address(String text) {
    String host = text;
    int port = 0;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0) {
        return null;
      }
      host = text.substring(1, close);
      String rest = text.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.matches(":[0-9]{1,5}")) {
          return null;
        }
        port = Integer.parseInt(rest.substring(1));
      }
    } else if (text.indexOf(':') > 0 && text.indexOf(':') == text.lastIndexOf(':')) {
      int colon = text.indexOf(':'); // IPv4 with a port
      if (!text.substring(colon + 1).matches("[0-9]{1,5}")) {
        return null;
      }
      host = text.substring(0, colon);
      port = Integer.parseInt(text.substring(colon + 1));
    }
    if (!AddressRange.isLiteral(host) || port > 65535) { // no host name is ever looked up
      return null;
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
