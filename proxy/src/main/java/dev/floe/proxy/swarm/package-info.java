/**
 * The peer swarm inside the proxy: a mount with a {@code swarm { }} block runs one {@link
 * dev.floe.swarm.node.SwarmNode}.
 *
 * <ul>
 *   <li>{@link dev.floe.proxy.swarm.SwarmMounts} starts and stops the nodes and lets the front
 *       hand peer connections to them by channel key.
 *   <li>{@link dev.floe.proxy.swarm.OriginPublisher}: on the origin, each chunk appended to the
 *       mount's back buffer is published (seq = its index in the epoch), and each title change
 *       with it.
 *   <li>{@link dev.floe.proxy.swarm.PeerPlayout}: on a peer, the chunks the node plays are
 *       written to the mount at their positions, and when the node falls back the mount pulls the
 *       stream directly (the existing upstream client) from where the swarm stopped.
 *   <li>{@link dev.floe.proxy.swarm.Epochs}: the mapping between the mount's 16-hex-digit epochs
 *       and the swarm's u32 ones.
 * </ul>
 */
package dev.floe.proxy.swarm;
