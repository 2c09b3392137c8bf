package dev.floe.swarm.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.swarm.chunk.MetadataRecord;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Signed metadata reaches every peer's mount before the chunk it applies to, and a new epoch (the
 * source reconnected) restarts every peer's playout at that epoch.
 */
class EpochAndMetadataTest {
  @Test
  void metadataPrecedesItsChunkAndANewEpochRestartsPlayout() throws Exception {
    try (TestSwarm swarm = new TestSwarm(2, 4000)) {
      swarm.publish();
      for (int i = 0; i < 4; i++) {
        swarm.addPeer(512, true);
      }
      swarm.addPeer(0, false);
      await().atMost(Duration.ofSeconds(30)).until(() -> swarm.peers().stream()
          .allMatch(p -> p.recorder().nextPosition() >= 6L * TestSwarm.CHUNK_BYTES));

      long fromSeq = swarm.publishTitle("Artist - Second Song");
      await().atMost(Duration.ofSeconds(20)).until(() -> swarm.peers().stream()
          .allMatch(p -> p.recorder().metadata().stream()
              .anyMatch(m -> m.title().equals("Artist - Second Song"))));
      for (TestSwarm.Peer p : swarm.peers()) {
        List<MetadataRecord> got = p.recorder().metadata();
        int i = got.size() - 1;
        assertThat(got.get(i).fromSeq()).isEqualTo(fromSeq);
        assertThat(got.get(i).verify(swarm.key.channelKey())).isTrue();
        assertThat(p.recorder().metadataAfter().get(i)).as("played before the title")
            .isLessThan(fromSeq);
        assertThat(p.recorder().errors()).isEmpty();
      }

      int next = 0x7777;
      swarm.restartEpoch(next);
      // A peer on a direct pull (at least 20 s) plays again when the swarm delivers.
      await().atMost(Duration.ofSeconds(60)).until(() -> swarm.peers().stream()
          .allMatch(p -> p.recorder().chunksOf(next) >= 4));
      for (TestSwarm.Peer p : swarm.peers()) {
        assertThat(p.recorder().errors()).isEmpty();
        assertThat(p.recorder().epochs()).isEqualTo(1);
      }
    }
  }
}
