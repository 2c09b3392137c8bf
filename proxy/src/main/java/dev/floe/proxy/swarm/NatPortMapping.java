package dev.floe.proxy.swarm;

import dev.floe.proxy.config.PortMappingSettings;
import dev.floe.swarm.nat.Gateways;
import dev.floe.swarm.nat.NatPmpClient;
import dev.floe.swarm.nat.PortMapping;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the home router to forward the HTTP port ({@code server.port-mapping = nat-pmp}) so that
 * the swarm's tracker can list this node as connectable. At most a few seconds at start (the
 * client's bounded retries); a router that refuses or does not answer is logged with the reason
 * and Floe goes on unmapped (a node behind NAT still uploads on the connections it dials).
 */
public final class NatPortMapping {
  private static final Logger log = LoggerFactory.getLogger(NatPortMapping.class);
  /** Lifetime asked for (RFC 6886 recommends 7200 s); renewed at half of what is granted. */
  static final long LIFETIME_SECONDS = 7200;
  static final int ATTEMPTS = 4;

  private NatPortMapping() {}

  /**
   * Maps {@code port} as {@code settings} say; returns the mapping (its external port is the one
   * to advertise) or null when off or not granted.
   */
  public static PortMapping open(PortMappingSettings settings, int port, IntConsumer onChange) {
    if (!settings.natPmp()) {
      return null;
    }
    Optional<InetAddress> gateway;
    try {
      gateway = settings.gatewayHost() == null ? Gateways.defaultGateway()
          : Optional.of(InetAddress.getByName(settings.gatewayHost())); // a literal: no lookup
    } catch (IOException e) {
      gateway = Optional.empty();
    }
    if (gateway.isEmpty()) {
      log.warn("port mapping: no default gateway found; set server.port-mapping-gateway to the"
          + " router's address. Going on without a mapping");
      return null;
    }
    try {
      PortMapping m = PortMapping.open(new NatPmpClient(
          new InetSocketAddress(gateway.get(), settings.gatewayPort()), ATTEMPTS), port,
          LIFETIME_SECONDS, onChange);
      log.info("port mapping: the router forwards TCP port {} to this node's port {}; swarm peers"
          + " are told {}", m.externalPort(), port, m.externalPort());
      return m;
    } catch (IOException e) {
      log.warn("port mapping: {}. Going on without a mapping: this node uploads only on the"
          + " connections it opens", e.getMessage());
      return null;
    }
  }
}
