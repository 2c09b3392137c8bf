/**
 * The swarm scheduler as a pure state machine: one {@link dev.floe.swarm.schedule.Scheduler} per
 * node takes events (partner up or down, buffer map, chunk, request, subscription, tick) with the
 * time injected, and returns {@link dev.floe.swarm.schedule.Action}s (send a buffer map, subscribe
 * to a substream, push or serve a chunk, request one, fall back to the origin, dial, drop). It sees
 * chunks only as ids, sizes and deadlines: no bytes, no signatures, no sockets, no threads, no
 * clock. The same object runs inside the simulation ({@code dev.floe.swarm.sim}) and, later, behind
 * the proxy's peer transport.
 */
package dev.floe.swarm.schedule;
