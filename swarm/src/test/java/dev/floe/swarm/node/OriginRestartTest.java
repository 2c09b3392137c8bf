package dev.floe.swarm.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The origin dies and comes back on its port with the same key and a new epoch (its source
 * reconnected). Most peers are not partners of the new origin (it takes few first-tier partners)
 * and learn the new epoch only from their partners' buffer maps and pushes; each must play the
 * new stream within its lag plus a few seconds of the first new chunk, from the swarm, without a
 * direct pull (the proxy's 10 s safety net then stalled its players).
 */
class OriginRestartTest {
  private static final int LAG_MS = 6000;

  @Test
  void everyPeerPlaysTheRestartedOriginsNewEpochFromTheSwarm() throws Exception {
    try (TestSwarm swarm = new TestSwarm(2, LAG_MS)) {
      swarm.publish();
      for (int i = 0; i < 7; i++) {
        swarm.addPeer(512, true);
      }
      swarm.addPeer(0, false);
      await().atMost(Duration.ofSeconds(40)).until(() -> swarm.peers().stream()
          .allMatch(p -> p.recorder().chunks() >= 10));

      int old = swarm.epoch();
      swarm.killOrigin();
      long lastOld = swarm.seq() - 1;
      int port = swarm.join.port();
      await().atMost(Duration.ofSeconds(10)).until(() -> swarm.peers().stream()
          .allMatch(p -> p.node().stats().partners().stream()
              .noneMatch(i -> i.address().endsWith(":" + port))));
      int next = 0x7777;
      swarm.restartOrigin(next);
      long restartedAt = System.currentTimeMillis();
      try {
        // lag, plus what tuning in through partners may take; the safety net is 10 s of silence
        await().atMost(Duration.ofMillis(LAG_MS + 5000)).until(() -> swarm.peers().stream()
            .allMatch(p -> p.recorder().chunksOf(next) >= 2));
        long took = System.currentTimeMillis() - restartedAt;
        System.out.println("every peer plays the new epoch " + took + " ms after the restart");
        // and they keep up from the swarm: no direct pull is needed
        long seq = swarm.seq();
        await().atMost(Duration.ofSeconds(20)).until(() -> swarm.peers().stream()
            .allMatch(p -> p.recorder().chunksOf(next) >= 2 && p.node().playout().playedChunks()
                > 0 && p.recorder().nextPosition() >= (seq + 4) * TestSwarm.CHUNK_BYTES
                - LAG_MS / TestSwarm.CHUNK_MS * TestSwarm.CHUNK_BYTES));
      } finally {
        for (TestSwarm.Peer p : swarm.peers()) {
          System.out.println("peer " + p.node().nodeId() + " new-epoch chunks "
              + p.recorder().chunksOf(next) + " " + p.node().stats() + " "
              + p.node().playout() + " " + p.recorder().errors());
        }
      }
      for (TestSwarm.Peer p : swarm.peers()) {
        List<String> errors = p.recorder().errors();
        assertThat(errors).isEmpty();
        assertThat(p.recorder().inFallback()).as("on the direct pull").isFalse();
        assertThat(p.node().stats().fallback()).as("scheduler on the direct pull").isFalse();
        // the old stream plays to its end before the new one, rather than being cut when the
        // new epoch is learnt (that cut loses the lag: 12 chunks). Chunks in flight at the kill
        // may be missing: up to 2 s of them (a loaded CI machine lost 3 chunks at one peer)
        assertThat(p.recorder().lastSeqOf(old)).as("last chunk of the old epoch played")
            .isGreaterThanOrEqualTo(lastOld - 2000 / TestSwarm.CHUNK_MS);
      }
    }
  }
}
