package dev.floe.swarm.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.swarm.chunk.SignedChunk;
import dev.floe.swarm.chunk.ChunkHeader;
import dev.floe.swarm.chunk.FieldReader;
import dev.floe.swarm.chunk.FieldWriter;
import dev.floe.swarm.chunk.NodeId;
import dev.floe.swarm.chunk.OriginKey;
import dev.floe.swarm.wire.BufferMap;
import dev.floe.swarm.wire.Frame;
import dev.floe.swarm.wire.FrameEncoder;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A rogue peer sends each kind of bad input to a victim peer that plays a live swarm (the origin
 * and two honest peers): each time the rogue is dropped (banned for forged or altered data) with
 * the right incident kind, while the victim keeps its honest partners and keeps playing only
 * verified chunks.
 */
class HostilePeerTest {
  private static TestSwarm swarm;
  private static TestSwarm.Peer victim;
  private static int seed;

  @BeforeAll
  static void startSwarm() throws Exception {
    swarm = new TestSwarm(2, 4000);
    swarm.publish();
    victim = swarm.addPeer(512, true);
    swarm.addPeer(512, true);
    swarm.addPeer(512, true);
    await().atMost(Duration.ofSeconds(30)).until(() -> victim.recorder().chunks() >= 4
        && swarm.seq() >= 40);
  }

  @AfterAll
  static void stopSwarm() {
    if (swarm != null) {
      swarm.close();
    }
  }

  private static Rogue rogue() throws Exception {
    return rogue(Rogue.randomNode(++seed));
  }

  private static Rogue rogue(NodeId node) throws Exception {
    return new Rogue(victim.server().port(), swarm.key.channelKey(), node);
  }

  /** Asserts the rogue was dropped with {@code kind} (and banned or not), the victim unharmed. */
  private static void assertDropped(Rogue r, String kind, boolean banned) throws Exception {
    String address = "127.0.0.1:" + r.localPort();
    await().atMost(Duration.ofSeconds(10)).until(() -> victim.node().incidents().stream()
        .anyMatch(i -> i.address().equals(address)));
    SwarmNode.Incident incident = victim.node().incidents().stream()
        .filter(i -> i.address().equals(address)).findFirst().orElseThrow();
    assertThat(incident.kind()).isEqualTo(kind);
    assertThat(incident.banned()).isEqualTo(banned);
    assertThat(r.awaitClosed(10)).as("rogue connection closed by the victim").isTrue();
    long before = victim.recorder().nextPosition();
    await().atMost(Duration.ofSeconds(10)).until(() -> victim.recorder().nextPosition()
        >= before + 2L * TestSwarm.CHUNK_BYTES);
    assertThat(victim.node().stats().partners()).as("honest partners kept").hasSizeGreaterThan(1);
    assertThat(victim.recorder().errors()).isEmpty();
    assertThat(victim.recorder().chunks()).isPositive();
  }

  private static SignedChunk signed(OriginKey key, ChunkHeader edge, long seqAhead) {
    long seq = edge.seq() + seqAhead;
    long position = edge.position() + seqAhead * TestSwarm.CHUNK_BYTES;
    return SignedChunk.sign(key, edge.epoch(), seq, position, System.currentTimeMillis(),
        TestSwarm.CHUNK_MS * 1000, 0, Recorder.payload(position, TestSwarm.CHUNK_BYTES).array());
  }

  @Test
  void forgedChunkBansTheSender() throws Exception {
    NodeId node = Rogue.randomNode(1000);
    try (Rogue r = rogue(node)) {
      ChunkHeader edge = r.awaitHello();
      r.send(new Frame.ChunkData(signed(OriginKey.generate(), edge, 1)));
      assertDropped(r, "FORGED", true);
    }
    try (Rogue again = rogue(node)) {
      assertThat(again.awaitClosed(10)).isTrue();
      assertThat(again.received()).anyMatch(f -> f instanceof Frame.Reject j
          && j.reason() == Frame.Reason.BANNED);
    }
  }

  /** A forged copy of a chunk the node already took (the gate skips duplicates' signatures). */
  @Test
  void forgedCopyOfAHeldChunkBansTheSender() throws Exception {
    try (Rogue r = rogue()) {
      ChunkHeader edge = r.awaitHello();
      r.send(new Frame.ChunkData(signed(OriginKey.generate(), edge, -1)));
      assertDropped(r, "FORGED", true);
    }
  }

  @Test
  void truncatedChunkBansTheSender() throws Exception {
    try (Rogue r = rogue()) {
      ChunkHeader edge = r.awaitHello();
      SignedChunk good = signed(swarm.key, edge, 1);
      FieldWriter w = new FieldWriter();
      good.write(w);
      byte[] all = w.toByteArray();
      SignedChunk cut = SignedChunk.read(new FieldReader(ByteBuffer.wrap(Arrays.copyOf(all,
          all.length - 1000))));
      r.send(new Frame.ChunkData(cut));
      assertDropped(r, "TRUNCATED", true);
    }
  }

  @Test
  void replayedChunksDropTheSender() throws Exception {
    try (Rogue r = rogue()) {
      ChunkHeader edge = r.awaitHello();
      SignedChunk old = signed(swarm.key, edge, -2);
      for (int i = 0; i < Offences.REPLAY_LIMIT + 2; i++) {
        r.send(new Frame.ChunkData(old));
      }
      assertDropped(r, "REPLAY", false);
    }
  }

  @Test
  void oversizedFrameDropsTheSender() throws Exception {
    try (Rogue r = rogue()) {
      r.awaitHello();
      byte[] map = FrameEncoder.encode(new BufferMap(0, 0, 0, new BitSet(), 0));
      byte[] big = new byte[3 + 200];
      big[0] = (byte) (200 | 0x80);
      big[1] = 1;
      big[2] = (byte) map[1];
      r.sendRaw(big);
      assertDropped(r, "FRAME_TOO_LARGE", false);
    }
  }

  @Test
  void mapClaimingChunksBeyondTheEdgeDropsTheSender() throws Exception {
    try (Rogue r = rogue()) {
      ChunkHeader edge = r.awaitHello();
      BitSet held = new BitSet();
      held.set(0, 64);
      r.send(new BufferMap(edge.epoch(), edge.seq() + 1000, 64, held, 0));
      assertDropped(r, "LYING_MAP", false);
    }
  }

  @Test
  void mapWhoseChunksAreNotFoundDropsTheSender() throws Exception {
    try (Rogue r = rogue()) {
      ChunkHeader edge = r.awaitHello();
      BitSet held = new BitSet();
      held.set(0, 32);
      r.send(new BufferMap(edge.epoch(), edge.seq(), 32, held, 0));
      List<Long> claimed = new ArrayList<>();
      for (long s = edge.seq() - 15; s <= edge.seq(); s++) {
        claimed.add(s);
      }
      r.send(new Frame.NotFound(edge.epoch(), claimed));
      assertDropped(r, "LYING_MAP", false);
    }
  }

  @Test
  void requestFloodDropsTheSender() throws Exception {
    try (Rogue r = rogue()) {
      ChunkHeader edge = r.awaitHello();
      List<Long> seqs = new ArrayList<>();
      for (long s = edge.seq() - 15; s <= edge.seq(); s++) {
        seqs.add(s);
      }
      for (int i = 0; i < 2 * PeerLimits.DEFAULTS.requestBurst() / seqs.size() + 2; i++) {
        r.send(new Frame.Request(edge.epoch(), seqs));
      }
      assertDropped(r, "FLOODING", false);
    }
  }
}
