package dev.floe.proxy.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An IP address or a CIDR range ({@code 10.0.0.0/8}, {@code fd00::/8}, {@code 127.0.0.1}), as
 * listed in {@code trusted-proxies}. Immutable. An IPv4 address never matches an IPv6 range
 * (Java reports IPv4 clients of a dual-stack socket as IPv4), so list both forms when needed.
 *
 * @param network the range's first address, with the bits past the prefix cleared
 * @param prefix the number of leading bits that must match
 */
public record AddressRange(byte[] network, int prefix) {
  /**
   * A dotted-quad IPv4 literal, or an IPv6 one (with a colon, which the JDK never looks up):
   * anything else could mean a DNS lookup.
   */
  private static final Pattern LITERAL = Pattern.compile(
      "[0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*");

  /** Copies the address. */
  public AddressRange {
    network = network.clone();
  }

  /**
   * Parses {@code a.b.c.d}, {@code a.b.c.d/n}, an IPv6 literal or {@code ipv6/n}; null when the
   * text is none of these (a host name, a prefix out of range).
   */
  public static AddressRange parse(String text) {
    if (text == null) {
      return null;
    }
    String t = text.strip();
    int slash = t.indexOf('/');
    String address = slash < 0 ? t : t.substring(0, slash);
    if (!isLiteral(address)) {
      return null;
    }
    byte[] bytes;
    try {
      bytes = InetAddress.getByName(address).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
    int bits = bytes.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      String p = t.substring(slash + 1);
      if (!p.matches("[0-9]{1,3}") || Integer.parseInt(p) > bits) {
        return null;
      }
      prefix = Integer.parseInt(p);
    }
    for (int i = 0; i < bytes.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      bytes[i] &= (byte) (0xFF00 >> keep);
    }
    return new AddressRange(bytes, prefix);
  }

  /** Whether {@code text} is an IP literal, so that parsing it looks nothing up. */
  public static boolean isLiteral(String text) {
    return text.length() <= 45 && LITERAL.matcher(text).matches();
  }

  /** Whether {@code address} is in the range. */
  public boolean contains(InetAddress address) {
    byte[] a = address.getAddress();
    if (a.length != network.length) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      int mask = 0xFF00 >> keep & 0xFF;
      if ((a[i] & mask) != (network[i] & mask)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AddressRange r && r.prefix == prefix
        && java.util.Arrays.equals(r.network, network);
  }

  @Override
  public int hashCode() {
    return 31 * java.util.Arrays.hashCode(network) + prefix;
  }

  @Override
  public String toString() {
    try {
      return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
