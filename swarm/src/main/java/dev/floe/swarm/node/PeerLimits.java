package dev.floe.swarm.node;

import dev.floe.swarm.wire.FrameType;

/**
 * What one node allows each peer connection: the largest frame it reads, the chunk requests it
 * serves, and the bytes it queues unsent. Immutable; validated on construction. The proxy sets
 * them from {@code floe.server.limits} ({@code peer-frame-bytes}, {@code
 * peer-requests-per-second}, {@code peer-request-burst}, {@code peer-queue-bytes}).
 *
 * @param frameBytes largest frame (type byte plus payload) read from a peer, of any type; it can
 *     only lower each type's protocol maximum ({@link FrameType#maxLength()}), never raise it. A
 *     longer frame drops the peer as {@code FRAME_TOO_LARGE} with its type in the log line.
 *     {@link #MIN_FRAME_BYTES} to {@link FrameType#MAX_FRAME}
 * @param requestsPerSecond chunks a peer may request a second (token bucket); asking for more is
 *     answered NOT_FOUND, and a peer that keeps asking while refused (more than another burst of
 *     debt) is dropped as {@code FLOODING}
 * @param requestBurst chunks a peer may request at once (the bucket's size)
 * @param queueBytes bytes written to a peer but not yet taken by its socket; past it the peer is
 *     dropped as {@code SLOW_READER} (the memory one peer can hold, on top of the socket buffers)
 */
public record PeerLimits(int frameBytes, double requestsPerSecond, int requestBurst,
    long queueBytes) {
  /** Smallest {@code frameBytes}: every control frame (HELLO, PEERS, ...) still fits. */
  public static final int MIN_FRAME_BYTES = 4096;
  /** Smallest {@code queueBytes}: one full chunk frame. */
  public static final long MIN_QUEUE_BYTES = 4096;
  /** The protocol maxima, 20 requests a second with a burst of 64, 256 KiB unsent. */
  public static final PeerLimits DEFAULTS = new PeerLimits(FrameType.MAX_FRAME, 20, 64,
      256 * 1024);

  /** @throws IllegalArgumentException naming the first value out of range */
  public PeerLimits {
    if (frameBytes < MIN_FRAME_BYTES || frameBytes > FrameType.MAX_FRAME) {
      throw new IllegalArgumentException("swarm: frameBytes " + frameBytes + " outside "
          + MIN_FRAME_BYTES + ".." + FrameType.MAX_FRAME);
    }
    if (!(requestsPerSecond > 0) || requestsPerSecond > 1_000_000) {
      throw new IllegalArgumentException("swarm: requestsPerSecond " + requestsPerSecond
          + " outside (0, 1000000]");
    }
    if (requestBurst < 1 || requestBurst > 1_000_000) {
      throw new IllegalArgumentException("swarm: requestBurst " + requestBurst
          + " outside 1..1000000");
    }
    if (queueBytes < MIN_QUEUE_BYTES || queueBytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("swarm: queueBytes " + queueBytes + " outside "
          + MIN_QUEUE_BYTES + ".." + Integer.MAX_VALUE);
    }
  }
}
