/**
 * Defences against hostile peers, as pure code with injected clocks: {@link
 * dev.floe.swarm.guard.ChunkGate} (what a node accepts as a chunk: size, window around the live
 * edge, origin time, replay, signature), {@link dev.floe.swarm.guard.BanList} (peers banned for a
 * while) and {@link dev.floe.swarm.guard.RequestBucket} (a per-peer request-rate token bucket that
 * tells a burst from a flood).
 */
package dev.floe.swarm.guard;
