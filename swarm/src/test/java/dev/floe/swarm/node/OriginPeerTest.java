package dev.floe.swarm.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** An origin and a few peers on loopback: every peer plays a contiguous, verified run. */
class OriginPeerTest {
  @Test
  void peersPlayTheOriginsStreamInOrder() throws Exception {
    try (TestSwarm swarm = new TestSwarm(2, 4000)) {
      swarm.publish();
      TestSwarm.Peer a = swarm.addPeer(512, true);
      TestSwarm.Peer b = swarm.addPeer(512, true);
      swarm.addPeer(512, true);
      swarm.addPeer(512, true);
      TestSwarm.Peer c = swarm.addPeer(0, false);
      swarm.origin.publishMetadata(0x5eed, 0, "Artist - Title", "");
      try {
        await().atMost(Duration.ofSeconds(30)).until(() -> a.recorder().chunks() >= 20
            && b.recorder().chunks() >= 20 && c.recorder().chunks() >= 20);
      } finally {
        for (TestSwarm.Peer p : swarm.peers()) {
          System.out.println(p.uploadKbps() + " played " + p.recorder().chunks() + " "
              + p.node().stats() + " " + p.node().traffic() + " " + p.recorder().errors());
        }
        System.out.println("origin " + swarm.origin.stats() + " " + swarm.origin.traffic());
      }
      for (TestSwarm.Peer p : swarm.peers()) {
        assertThat(p.recorder().errors()).isEmpty();
        SwarmNode.Stats st = p.node().stats();
        System.out.printf("peer %d kbit/s: played %d chunks, partners %d, continuity %.4f,"
            + " origin share %.2f, overhead %.4f%n", p.uploadKbps(), p.recorder().chunks(),
            st.partners().size(), st.continuity(), st.originShare(), st.controlOverhead());
      }
      SwarmNode.Stats o = swarm.origin.stats();
      System.out.printf("origin: partners %d, tracker %d, payload up %d%n", o.partners().size(),
          o.trackerPeers(), o.payloadUp());
      assertThat(o.trackerPeers()).isEqualTo(4);
    }
  }

  /**
   * The smallest swarm: two connectable peers. The origin's one-substream-per-partner rule once
   * left a substream with no first-tier child (each peer held two), so both fell back.
   */
  @Test
  void twoPeersGetTheWholeStreamFromTheSwarm() throws Exception {
    try (TestSwarm swarm = new TestSwarm(2, 4000)) {
      swarm.publish();
      TestSwarm.Peer a = swarm.addPeer(512, true);
      TestSwarm.Peer b = swarm.addPeer(512, true);
      await().atMost(Duration.ofSeconds(40)).until(() -> a.recorder().chunks() >= 30
          && b.recorder().chunks() >= 30);
      for (TestSwarm.Peer p : swarm.peers()) {
        SwarmNode.PlayoutStats f = p.node().playout();
        System.out.println("peer " + p.node().stats() + " " + f);
        assertThat(p.recorder().errors()).isEmpty();
        assertThat(f.fallbacks()).as("fallbacks").isZero();
        assertThat(p.recorder().directBytes()).as("bytes from the direct pull").isZero();
        assertThat(f.inTime()).as("chunks in time").isEqualTo(f.due());
      }
    }
  }

  /**
   * Peers that join before the stream has a chunk (a swarm up before its source, or an origin
   * restarted before its source reconnects): their HELLOs carried no signed chunk to tune in
   * with, and they used to wait forever, with no subscription and nothing due to fall back for.
   * Now a node that is not tuned in asks a partner whose map holds chunks for its newest one.
   */
  @Test
  void peersThatJoinBeforeTheFirstChunkTuneInWhenItComes() throws Exception {
    try (TestSwarm swarm = new TestSwarm(2, 4000)) {
      TestSwarm.Peer a = swarm.addPeer(512, true);
      TestSwarm.Peer b = swarm.addPeer(512, true);
      await().atMost(Duration.ofSeconds(10)).until(() -> swarm.origin.stats().partners().size()
          == 2 && a.node().stats().partners().size() == 2);
      assertThat(swarm.seq()).as("nothing published yet").isZero();

      swarm.publish();
      await().atMost(Duration.ofSeconds(30)).until(() -> a.recorder().chunks() >= 16
          && b.recorder().chunks() >= 16);
      for (TestSwarm.Peer p : swarm.peers()) {
        System.out.println("peer " + p.node().stats() + " " + p.node().playout());
        assertThat(p.recorder().errors()).isEmpty();
        assertThat(p.recorder().directBytes()).as("bytes from the direct pull").isZero();
      }
    }
  }
}
