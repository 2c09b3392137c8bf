package dev.floe.proxy.tracker;

import java.time.Duration;

/**
 * What one tracker may hold and what one connection may do. Every bound exists so that memory
 * stays bounded whatever browsers (or anything else) send.
 *
 * @param maxSwarms info hashes tracked at once; a new one past this is refused
 * @param maxPeersPerSwarm peers in one swarm; a new one past this is refused
 * @param maxSwarmsPerConnection swarms one WebSocket may join (a player joins one per stream)
 * @param maxOffers offers relayed for one announce (the WebTorrent client sends at most 5)
 * @param maxScrape info hashes in one scrape
 * @param maxMessageBytes one message (WebSocket frame, aggregated); SDP offers are a few KiB
 * @param messagesPerSecond messages one connection may send per second, on average
 * @param messageBurst messages one connection may send at once
 * @param interval the announce interval the tracker advises
 * @param idleTimeout a connection that sends nothing for this long is closed
 */
public record TrackerLimits(int maxSwarms, int maxPeersPerSwarm, int maxSwarmsPerConnection,
    int maxOffers, int maxScrape, int maxMessageBytes, double messagesPerSecond,
    int messageBurst, Duration interval, Duration idleTimeout) {

  /** The defaults: generous for a station's audience, small per connection. */
  public static final TrackerLimits DEFAULTS = new TrackerLimits(4096, 10_000, 8, 10, 16,
      64 * 1024, 5, 30, Duration.ofSeconds(120), Duration.ofSeconds(360));

  public TrackerLimits {
    if (maxSwarms < 1 || maxPeersPerSwarm < 1 || maxSwarmsPerConnection < 1 || maxOffers < 0
        || maxScrape < 1 || maxMessageBytes < 256 || !(messagesPerSecond > 0)
        || messageBurst < 1 || interval.isNegative() || interval.isZero()
        || idleTimeout.compareTo(interval) <= 0) {
      throw new IllegalArgumentException("tracker limits out of range: " + this);
    }
  }
}
