/**
 * The swarm on real sockets: a {@link dev.floe.swarm.node.SwarmNode} runs one channel's
 * {@link dev.floe.swarm.schedule.Scheduler} on one Netty event loop, turns its actions into peer
 * wire frames and received frames into its events, verifies every chunk through a
 * {@link dev.floe.swarm.guard.ChunkGate} before it is stored, served or played, keeps the tracker
 * on the origin, and hands chunks to the local mount in order at their deadline.
 */
package dev.floe.swarm.node;
