package dev.floe.proxy.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The origin restarts (a new node with the same key on the same port) and its source comes back
 * a moment later (a new epoch): the peer, whose link to the new origin came up before the new
 * epoch had a chunk, takes the new epoch and its mount continues with it. It used to stay on the
 * old epoch for good, silent and not even falling back (issue 14's station day).
 */
class OriginRestartTest {
  @Test
  void aPeerPlaysTheNewEpochAfterTheOriginRestarts() throws Exception {
    try (SwarmPair pair = new SwarmPair()) {
      pair.startSource("audio/mpeg", Audio.frames(1000));
      pair.awaitPeerHolds(pair.awaitOriginHolds(40_000));
      String before = pair.onPeer(() -> pair.peer.segment().epoch());

      byte[] second = Audio.frames(1000);
      second[5] = 0x55; // another stream than the first
      pair.restartOrigin();
      // the peer is back on the new origin before the source is
      await().atMost(Duration.ofSeconds(20)).until(() -> pair.originNode.stats()
          .trackerPeers() >= 1);
      pair.sourceAgain("audio/mpeg", second);
      long end = pair.awaitOriginHolds(60_000);
      String epoch = pair.origin.segment().epoch();
      assertThat(epoch).isNotEqualTo(before);
      try {
        await().atMost(Duration.ofSeconds(30)).until(() -> pair.onPeer(() ->
            pair.peer.segment().epoch().equals(epoch)
            && pair.peer.buffer().newest() >= end));
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        throw new AssertionError("peer at " + pair.onPeer(() -> pair.peer.segment().epoch()
            + ":" + pair.peer.buffer().newest()) + ", origin at " + epoch + ":" + end
            + "; peer " + pair.peerNode.stats() + " " + pair.peerNode.playout() + "; origin "
            + pair.originNode.stats() + "; directs " + pair.directs, e);
      }
      byte[] held = pair.onPeer(() -> Audio.held(pair.peer.buffer()));
      long from = pair.onPeer(() -> pair.peer.buffer().oldest());
      assertThat(held).as("the new epoch from where the peer tuned in")
          .isEqualTo(Arrays.copyOfRange(second, (int) from, (int) from + held.length));
    }
  }
}
