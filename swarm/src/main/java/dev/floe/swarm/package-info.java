/**
 * The peer swarm as pure code: no sockets, no threads, clocks injected. The proxy's peer transport
 * (Netty, {@code node}) drives these state machines ({@code schedule.Scheduler}, {@code
 * gossip.PeerGossip}, {@code guard.ChunkGate}, the {@code wire} codec); the simulation ({@code
 * sim}) drives the same scheduler and the same gossip for 10,000 nodes.
 */
package dev.floe.swarm;
