/**
 * The swarm on real sockets: a {@link dev.floe.swarm.node.SwarmNode} runs one channel's
 * {@link dev.floe.swarm.schedule.Scheduler} on one Netty event loop, turns its actions into peer
 * wire frames and received frames into its events, verifies every chunk through a
 * {@link dev.floe.swarm.guard.ChunkGate} before it is stored, served or played, keeps the tracker
 * on the origin, and hands chunks to the local mount in order at their deadline.
 *
 * <p>{@code SwarmNode} (and {@code PeerLimits}) are the public API; everything else is
 * package-private, one job per class, all confined to the node's event loop: the shell {@code
 * NodeRuntime} (lifecycle and routing) owns {@code Links}, {@code Handshake}, {@code FrameIntake},
 * {@code ActionOutput}, {@code Publisher}, {@code Gossip} (the transport of
 * {@link dev.floe.swarm.gossip.PeerGossip}), {@code Offences}, {@code Counters} and {@code
 * StreamState}. They stay in one package because they share {@code Connection}'s per-link state,
 * which no other package may touch; time comes from one injected {@code NodeClock}.
 */
package dev.floe.swarm.node;
