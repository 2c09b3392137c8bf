package dev.floe.proxy.config;

/**
 * Port mapping on the home router ({@code floe.server.port-mapping} and {@code
 * port-mapping-gateway}), so that swarm peers behind NAT can be dialled. Validated by {@link
 * ConfigLoader}.
 *
 * @param natPmp whether to ask the router for a mapping with NAT-PMP (RFC 6886)
 * @param gatewayHost the router's IP address, or null for the default gateway
 * @param gatewayPort the router's NAT-PMP port (5351 unless the config names another)
 */
public record PortMappingSettings(boolean natPmp, String gatewayHost, int gatewayPort) {
  /** No mapping. */
  public static final PortMappingSettings OFF = new PortMappingSettings(false, null, 5351);
}
