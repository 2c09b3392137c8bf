package dev.floe.swarm.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.swarm.chunk.ChunkHeader;
import dev.floe.swarm.chunk.OriginKey;
import dev.floe.swarm.chunk.SignedStreamHeader;
import dev.floe.swarm.wire.Frame;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Ogg stream headers through a live swarm: the origin publishes a header and then chunks; every
 * peer, one that joins well after the header was published too, gets the header before its first
 * chunk ({@link Recorder} fails any flagged chunk played without it); a chained stream's new header
 * takes effect exactly at its first chunk; a peer that sends a forged header is banned and the
 * header never reaches the mount.
 */
class SignedStreamHeaderTest {
  private static byte[] header(String name, int size) {
    byte[] b = new byte[size];
    byte[] n = ("OggS" + name).getBytes(StandardCharsets.ISO_8859_1);
    for (int i = 0; i < size; i++) {
      b[i] = i < n.length ? n[i] : (byte) (i * 13 + name.length());
    }
    return b;
  }

  private static boolean same(SignedStreamHeader h, byte[] bytes) {
    return h.bytes().equals(ByteBuffer.wrap(bytes));
  }

  @Test
  void headersReachEveryPeerBeforeTheirChunksAndForgedOnesBanTheSender() throws Exception {
    byte[] first = header("OpusHead first", 300);
    byte[] second = header("OpusHead second", 5000);
    try (TestSwarm swarm = new TestSwarm(2, 4000)) {
      assertThat(swarm.publishHeader(first)).isZero();
      swarm.publish();
      TestSwarm.Peer a = swarm.addPeer(512, true);
      TestSwarm.Peer b = swarm.addPeer(512, true);
      TestSwarm.Peer c = swarm.addPeer(512, true);
      await().atMost(Duration.ofSeconds(30)).until(() -> a.recorder().chunks() >= 4
          && b.recorder().chunks() >= 4 && c.recorder().chunks() >= 4);
      // A late joiner: the header was published 10+ chunks before it arrives.
      await().atMost(Duration.ofSeconds(30)).until(() -> swarm.seq() >= 14);
      TestSwarm.Peer late = swarm.addPeer(512, true);
      await().atMost(Duration.ofSeconds(30)).until(() -> late.recorder().chunks() >= 4);
      for (TestSwarm.Peer p : List.of(a, b, c, late)) {
        List<SignedStreamHeader> got = p.recorder().headers();
        assertThat(got).as("headers of %s", p.node().nodeId()).isNotEmpty();
        assertThat(same(got.get(0), first)).isTrue();
        assertThat(got.get(0).fromSeq()).isZero();
        assertThat(p.recorder().firstSeqUnderHeader().get(0)).isGreaterThanOrEqualTo(0);
        assertThat(p.recorder().errors()).isEmpty();
      }
      assertThat(late.recorder().firstSeqUnderHeader().get(0)).as("the late peer's first chunk")
          .isGreaterThanOrEqualTo(8);

      long change = swarm.publishHeader(second);
      await().atMost(Duration.ofSeconds(30)).until(() -> List.of(a, b, c, late).stream()
          .allMatch(p -> p.recorder().headers().size() >= 2
              && p.recorder().firstSeqUnderHeader().get(1) >= 0));
      for (TestSwarm.Peer p : List.of(a, b, c, late)) {
        List<SignedStreamHeader> got = p.recorder().headers();
        assertThat(got).hasSize(2);
        assertThat(same(got.get(1), second)).isTrue();
        assertThat(got.get(1).fromSeq()).isEqualTo(change);
        assertThat(p.recorder().firstSeqUnderHeader().get(1)).as("the chained stream starts at")
            .isEqualTo(change);
        assertThat(p.recorder().errors()).isEmpty();
      }

      // A forged header (another key) from a rogue: dropped and banned, never played.
      byte[] forgedBytes = header("OpusHead forged", 200);
      try (Rogue r = new Rogue(a.server().port(), swarm.key.channelKey(), Rogue.randomNode(7))) {
        ChunkHeader edge = r.awaitHello();
        r.send(new Frame.Header(SignedStreamHeader.sign(OriginKey.generate(), edge.epoch(),
            edge.seq() + 1, forgedBytes)));
        String address = "127.0.0.1:" + r.localPort();
        await().atMost(Duration.ofSeconds(10)).until(() -> a.node().incidents().stream()
            .anyMatch(i -> i.address().equals(address)));
        SwarmNode.Incident incident = a.node().incidents().stream()
            .filter(i -> i.address().equals(address)).findFirst().orElseThrow();
        assertThat(incident.kind()).isEqualTo("FORGED");
        assertThat(incident.banned()).isTrue();
        assertThat(r.awaitClosed(10)).isTrue();
      }
      long played = a.recorder().chunks();
      await().atMost(Duration.ofSeconds(10)).until(() -> a.recorder().chunks() >= played + 4);
      assertThat(a.recorder().headers()).noneMatch(h -> same(h, forgedBytes)).hasSize(2);
      assertThat(a.recorder().errors()).isEmpty();
    }
  }
}
