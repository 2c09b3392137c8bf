package dev.floe.swarm.schedule;

/** A peer the tracker offered; only a {@code connectable} one can be dialed. */
public record Candidate(int peer, boolean connectable) {}
