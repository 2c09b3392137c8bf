/**
 * Floe as a WebTorrent-protocol tracker, so the browsers of the web player find each other for
 * P2P Media Loader without a third-party tracker (issue 18, {@code docs/hls.md}).
 *
 * <p>Pure parts: {@link dev.floe.proxy.tracker.TrackerCodec} reads one JSON message into a
 * {@link dev.floe.proxy.tracker.TrackerRequest} (or a {@link dev.floe.proxy.tracker.TrackerException}
 * naming what is wrong) and writes the {@link dev.floe.proxy.tracker.TrackerReply}s;
 * {@link dev.floe.proxy.tracker.Swarms} is the bookkeeping as a state machine without sockets or
 * clocks: which connection holds which peer of which swarm (info hash), offers relayed to random
 * other peers, answers relayed to the peer they name, everything bounded by
 * {@link dev.floe.proxy.tracker.TrackerLimits}. {@link dev.floe.proxy.tracker.Tracker} holds them
 * for the whole process behind one lock, and {@link dev.floe.proxy.tracker.TrackerHandler} is the
 * Netty handler of one WebSocket connection (the front upgrades {@code GET /announce}).
 */
package dev.floe.proxy.tracker;
