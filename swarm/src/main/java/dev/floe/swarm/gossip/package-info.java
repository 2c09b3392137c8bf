/**
 * Gossip (peer exchange) as one pure state machine, {@link dev.floe.swarm.gossip.PeerGossip}: no
 * sockets, time passed in. Public because two packages run it: the node runtime on real sockets
 * ({@code dev.floe.swarm.node}) and the simulation ({@code dev.floe.swarm.sim}), so that the
 * simulation's figures measure the rules that ship.
 */
package dev.floe.swarm.gossip;
