package dev.floe.swarm.nat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Finds the IPv4 default gateway from Linux's routing table ({@code /proc/net/route}). */
public final class Gateways {
  private Gateways() {}

  /** The default gateway of this machine, if the table has one. */
  public static Optional<InetAddress> defaultGateway() {
    try {
      return parse(Files.readAllLines(Path.of("/proc/net/route")));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * The gateway of the first default route (destination 0, flag RTF_GATEWAY) in the lines of
   * {@code /proc/net/route}, whose addresses are hexadecimal in host (little-endian) order.
   */
  static Optional<InetAddress> parse(List<String> lines) {
    for (String line : lines) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 4 || !f[1].equals("00000000")) {
        continue;
      }
      try {
        int flags = Integer.parseInt(f[3], 16);
        long gw = Long.parseLong(f[2], 16);
        if ((flags & 0x2) == 0 || gw == 0) {
          continue;
        }
        byte[] ip = {(byte) gw, (byte) (gw >> 8), (byte) (gw >> 16), (byte) (gw >> 24)};
        return Optional.of(InetAddress.getByAddress(ip));
      } catch (NumberFormatException | IOException e) {
        // the header line, or a malformed one: not a route
      }
    }
    return Optional.empty();
  }
}
