/**
 * Optional port mapping on the home router, so that a node behind NAT can be dialled by its
 * peers: NAT-PMP (RFC 6886), which miniupnpd (OpenWrt and most Linux-based routers), Apple's
 * base stations and many others answer on the gateway's UDP port 5351.
 * {@link dev.floe.swarm.nat.NatPmp} is the pure codec (bytes in, values out, no sockets);
 * {@link dev.floe.swarm.nat.NatPmpClient} sends its requests with the RFC's retry schedule; {@link
 * dev.floe.swarm.nat.PortMapping} keeps one mapping alive (renewal at half its lifetime, removal
 * on close); {@link dev.floe.swarm.nat.Gateways} finds the default gateway on Linux.
 */
package dev.floe.swarm.nat;
