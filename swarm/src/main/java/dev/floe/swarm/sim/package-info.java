/**
 * A discrete-event simulation of a whole swarm: one thread, a priority queue of timed events, one
 * {@link dev.floe.swarm.schedule.Scheduler} per node (the same code a real node runs), a
 * flow-level network (per-node FIFO uplink at the node's cap, one-way latency per pair), NATed
 * nodes, a tracker, churn, and messages counted at the real encoder's sizes ({@code WireCosts}).
 * Deterministic for a seed.
 * {@link dev.floe.swarm.sim.SimMain} runs it from the command line.
 */
package dev.floe.swarm.sim;
