package dev.floe.swarm.schedule;

/**
 * A new partner connection as the scheduler sees its HELLO.
 *
 * @param peer the transport's id for the partner
 * @param dialed whether this node dialed it (otherwise it dialed in)
 * @param connectable whether the tracker's connect-back reached it
 * @param rttMs round-trip time measured on the handshake
 * @param capacityKbps the upload capacity the partner advertises (0: unknown); only a first guess
 * @param epoch the epoch of the latest chunk header it carries
 * @param edgeSeq that chunk's seq (-1 if none)
 * @param edgeOriginTimeMs that chunk's origin time on this node's clock
 */
public record Hello(int peer, boolean dialed, boolean connectable, int rttMs, int capacityKbps,
    int epoch, long edgeSeq, long edgeOriginTimeMs) {}
