package dev.floe.proxy.tracker;

import java.util.List;

/**
 * One message a WebTorrent client sends, already checked by {@link TrackerCodec}. Identifiers
 * (info hash, peer id, offer id) are the protocol's "binary strings": exactly 20 characters, each
 * a byte (0 to 255), compared and sent back as they came.
 */
public sealed interface TrackerRequest {

  /** The announce events; {@link #UPDATE} when the message has none. */
  enum Event { STARTED, STOPPED, COMPLETED, UPDATE }

  /**
   * An announce: joins (or stays in) the swarm of {@code infoHash}; may carry offers to relay to
   * other peers, or an answer to relay back to the peer that made an offer.
   *
   * @param left bytes the peer still wants; 0 marks a seeder, -1 unknown
   * @param offers WebRTC offers (SDP objects as raw JSON), at most the limit's
   * @param answer an answer (raw JSON) for {@code toPeerId}'s offer {@code offerId}, or null
   */
  record Announce(String infoHash, String peerId, Event event, long left, List<Offer> offers,
      String answer, String toPeerId, String offerId) implements TrackerRequest {
    public Announce {
      offers = List.copyOf(offers);
    }
  }

  /** One offer: its id and the SDP object as raw JSON. */
  record Offer(String offerId, String offer) {}

  /** A scrape: the counts of the given swarms. */
  record Scrape(List<String> infoHashes) implements TrackerRequest {
    public Scrape {
      infoHashes = List.copyOf(infoHashes);
    }
  }
}
