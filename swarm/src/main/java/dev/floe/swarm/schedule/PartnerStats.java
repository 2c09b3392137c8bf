package dev.floe.swarm.schedule;

/**
 * One partner as seen from a node: payload bytes sent to it and received from it, and the
 * substreams (bit k) it is this node's push parent or child for.
 */
public record PartnerStats(int peer, boolean dialed, boolean connectable, long bytesUp,
    long bytesDown, int parentOf, int childOf) {}
