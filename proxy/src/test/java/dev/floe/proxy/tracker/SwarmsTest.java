package dev.floe.proxy.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SwarmsTest {
  private static final String HASH = id('h', 1);
  private static final String OTHER_HASH = id('h', 2);
  private static final String OFFER = "{\"type\":\"offer\",\"sdp\":\"v=0\"}";
  private static final String ANSWER = "{\"type\":\"answer\",\"sdp\":\"v=0\"}";

  private final Swarms swarms = new Swarms(TrackerLimits.DEFAULTS, new SplittableRandom(7));

  /** A 20-character id: a letter, a number, then bytes above 0x7F as the protocol allows. */
  static String id(char c, int n) {
    StringBuilder b = new StringBuilder().append(c).append(n);
    while (b.length() < 20) {
      b.append((char) (0x80 + b.length()));
    }
    return b.toString();
  }

  private static TrackerRequest.Announce announce(String peer, int offers) {
    return announce(HASH, peer, TrackerRequest.Event.STARTED, offers);
  }

  private static TrackerRequest.Announce announce(String hash, String peer,
      TrackerRequest.Event event, int offers) {
    List<TrackerRequest.Offer> list = new ArrayList<>();
    for (int i = 0; i < offers; i++) {
      list.add(new TrackerRequest.Offer(id('o', i), OFFER));
    }
    return new TrackerRequest.Announce(hash, peer, event, -1, list, null, null, null);
  }

  private static TrackerRequest.Announce answer(String peer, String toPeer, String offerId) {
    return new TrackerRequest.Announce(HASH, peer, TrackerRequest.Event.UPDATE, -1, List.of(),
        ANSWER, toPeer, offerId);
  }

  @Test
  void twoPeersExchangeAnOfferAndItsAnswer() {
    String a = id('a', 1);
    String b = id('b', 1);
    assertThat(swarms.onRequest(1, announce(a, 3))).containsExactly(
        new TrackerReply.Announced(1, HASH, 0, 1, 120)); // alone: its offers go nowhere
    List<TrackerReply> out = swarms.onRequest(2, announce(b, 3));
    assertThat(out).containsExactly(new TrackerReply.Announced(2, HASH, 0, 2, 120),
        new TrackerReply.RelayedOffer(1, HASH, b, id('o', 0), OFFER));
    assertThat(swarms.onRequest(1, answer(a, b, id('o', 0)))).containsExactly(
        new TrackerReply.RelayedAnswer(2, HASH, a, id('o', 0), ANSWER));
  }

  @Test
  void offersGoToDistinctOtherPeersAtRandomAndNeverBack() {
    for (int i = 0; i < 6; i++) {
      swarms.onRequest(i, announce(id('p', i), 0));
    }
    Set<Long> seen = new HashSet<>();
    for (int round = 0; round < 50; round++) {
      List<TrackerReply> out = swarms.onRequest(3, announce(id('p', 3), 4));
      assertThat(out).hasSize(5);
      Set<Long> to = new HashSet<>();
      for (TrackerReply r : out.subList(1, 5)) {
        assertThat(r).isInstanceOf(TrackerReply.RelayedOffer.class);
        to.add(r.to());
      }
      assertThat(to).hasSize(4).doesNotContain(3L);
      seen.addAll(to);
    }
    assertThat(seen).containsExactlyInAnyOrder(0L, 1L, 2L, 4L, 5L); // every other peer drawn
  }

  @Test
  void offersAreCappedAtTheLimit() {
    Swarms small = new Swarms(limits(100, 100, 8, 2), new SplittableRandom(1));
    for (int i = 0; i < 5; i++) {
      small.onRequest(i, announce(id('p', i), 0));
    }
    assertThat(small.onRequest(9, announce(id('q', 9), 5))).hasSize(1 + 2);
  }

  @Test
  void anAnswerToAPeerThatLeftGoesNowhere() {
    swarms.onRequest(1, announce(id('a', 1), 0));
    swarms.onRequest(2, announce(id('b', 1), 0));
    swarms.onClose(2);
    assertThat(swarms.onRequest(1, answer(id('a', 1), id('b', 1), id('o', 0)))).isEmpty();
  }

  @Test
  void closingOrStoppingLeavesAndEmptySwarmsAreForgotten() {
    swarms.onRequest(1, announce(id('a', 1), 0));
    swarms.onRequest(1, announce(OTHER_HASH, id('a', 1), TrackerRequest.Event.STARTED, 0));
    swarms.onRequest(2, announce(id('b', 1), 0));
    assertThat(swarms.swarmCount()).isEqualTo(2);
    assertThat(swarms.peerCount()).isEqualTo(3);
    swarms.onClose(1);
    assertThat(swarms.swarmCount()).isEqualTo(1);
    assertThat(swarms.peerCount()).isEqualTo(1);
    assertThat(swarms.onRequest(2, announce(HASH, id('b', 1), TrackerRequest.Event.STOPPED, 0)))
        .containsExactly(new TrackerReply.Announced(2, HASH, 0, 0, 120));
    assertThat(swarms.swarmCount()).isZero();
    assertThat(swarms.peerCount()).isZero();
  }

  @Test
  void aPeerAnnouncedFromANewConnectionMovesThere() {
    swarms.onRequest(1, announce(id('a', 1), 0));
    swarms.onRequest(2, announce(id('b', 1), 0));
    swarms.onRequest(3, announce(id('a', 1), 0)); // a reconnected
    assertThat(swarms.peerCount()).isEqualTo(2);
    assertThat(swarms.onRequest(2, answer(id('b', 1), id('a', 1), id('o', 1))))
        .extracting(TrackerReply::to).containsExactly(3L);
    swarms.onClose(1); // the old connection's close takes nothing with it
    assertThat(swarms.peerCount()).isEqualTo(2);
  }

  @Test
  void seedersAreCounted() {
    swarms.onRequest(1, new TrackerRequest.Announce(HASH, id('a', 1),
        TrackerRequest.Event.STARTED, 0, List.of(), null, null, null));
    assertThat(swarms.onRequest(2, announce(id('b', 1), 0)))
        .containsExactly(new TrackerReply.Announced(2, HASH, 1, 1, 120));
  }

  @Test
  void boundsAreRefusedWithAReasonAndLeaveNothingBehind() {
    Swarms small = new Swarms(limits(2, 2, 1, 10), new SplittableRandom(1));
    small.onRequest(1, announce(id('a', 1), 0));
    small.onRequest(2, announce(id('b', 1), 0));
    assertThat(small.onRequest(3, announce(id('c', 1), 0))).singleElement()
        .isEqualTo(new TrackerReply.Failure(3, "announce", HASH, "swarm full: 2 peers"));
    assertThat(small.onRequest(1, announce(OTHER_HASH, id('a', 1),
        TrackerRequest.Event.STARTED, 0))).singleElement().isEqualTo(new TrackerReply.Failure(
            1, "announce", OTHER_HASH, "too many swarms on one connection (1)"));
    small.onRequest(4, announce(OTHER_HASH, id('d', 1), TrackerRequest.Event.STARTED, 0));
    assertThat(small.onRequest(5, announce(id('h', 3), id('e', 1),
        TrackerRequest.Event.STARTED, 0))).singleElement().isEqualTo(new TrackerReply.Failure(
            5, "announce", id('h', 3), "tracker full: 2 swarms"));
    assertThat(small.swarmCount()).isEqualTo(2);
    assertThat(small.peerCount()).isEqualTo(3);
  }

  @Test
  void oneConnectionHasOnePeerIdPerSwarm() {
    swarms.onRequest(1, announce(id('a', 1), 0));
    assertThat(swarms.onRequest(1, announce(id('a', 2), 0))).singleElement()
        .isInstanceOf(TrackerReply.Failure.class);
    assertThat(swarms.peerCount()).isEqualTo(1);
  }

  @Test
  void scrapeCountsKnownAndUnknownSwarms() {
    swarms.onRequest(1, announce(id('a', 1), 0));
    assertThat(swarms.onRequest(2, new TrackerRequest.Scrape(List.of(HASH, OTHER_HASH))))
        .containsExactly(new TrackerReply.Scraped(2, java.util.Map.of(
            HASH, new TrackerReply.Counts(0, 1), OTHER_HASH, new TrackerReply.Counts(0, 0))));
  }

  private static TrackerLimits limits(int swarms, int peers, int perConnection, int offers) {
    return new TrackerLimits(swarms, peers, perConnection, offers, 16, 64 * 1024, 5, 30,
        Duration.ofSeconds(120), Duration.ofSeconds(360));
  }
}
