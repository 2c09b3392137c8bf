package dev.floe.proxy.tracker;

import java.util.Map;

/** One message the tracker sends, to the connection {@link #to()}; {@link TrackerCodec} writes it. */
public sealed interface TrackerReply {
  /** The connection it goes to. */
  long to();

  /** The answer to an announce: the swarm's counts and the interval to announce again. */
  record Announced(long to, String infoHash, int complete, int incomplete, long intervalSeconds)
      implements TrackerReply {}

  /** Another peer's offer, relayed. */
  record RelayedOffer(long to, String infoHash, String fromPeerId, String offerId, String offer)
      implements TrackerReply {}

  /** The answer to an offer this peer made, relayed. */
  record RelayedAnswer(long to, String infoHash, String fromPeerId, String offerId, String answer)
      implements TrackerReply {}

  /** The counts of the swarms a scrape named, by info hash. */
  record Scraped(long to, Map<String, Counts> files) implements TrackerReply {
    public Scraped {
      files = Map.copyOf(files);
    }
  }

  /** A swarm's seeders and other peers. */
  record Counts(int complete, int incomplete) {}

  /** A refusal: the {@code failure reason}. */
  record Failure(long to, String action, String infoHash, String reason)
      implements TrackerReply {}
}
