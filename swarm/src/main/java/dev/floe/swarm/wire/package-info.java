/**
 * The peer wire protocol as pure code: {@link dev.floe.swarm.wire.PeerWire} (the connection
 * magic that tells peers from HTTP by the first byte), {@link dev.floe.swarm.wire.Frame} (the
 * frame types as immutable values), {@link dev.floe.swarm.wire.FrameEncoder} and {@link
 * dev.floe.swarm.wire.FrameDecoder} (a state machine fed arbitrary slices, with a size limit per
 * frame type and a distinct {@link dev.floe.swarm.wire.FrameException.Kind} per violation). The
 * byte layout is specified in {@code docs/swarm-protocol.md}.
 */
package dev.floe.swarm.wire;
