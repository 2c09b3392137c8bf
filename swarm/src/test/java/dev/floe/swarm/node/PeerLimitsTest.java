package dev.floe.swarm.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.swarm.chunk.ChunkHeader;
import dev.floe.swarm.guard.RequestBucket;
import dev.floe.swarm.wire.BufferMap;
import dev.floe.swarm.wire.Frame;
import dev.floe.swarm.wire.FrameType;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Configured {@link PeerLimits} take effect on a live swarm (the origin and two honest peers):
 * a victim with a low request rate drops a peer whose single request the defaults would serve as
 * FLOODING; a victim with a low frame limit drops a peer sending a frame over it (though under
 * the protocol maximum) as FRAME_TOO_LARGE; a victim with a small unsent-bytes cap drops a peer
 * that asks for chunks and reads nothing as SLOW_READER, having queued no more than the cap. Each
 * time the victim keeps its honest partners and keeps playing. A connection that sends the magic
 * but no HELLO is closed after {@link Connection#HELLO_TIMEOUT_MS}.
 */
class PeerLimitsTest {
  /** Small: the slow peer passes it within a few requests. */
  private static final long QUEUE_CAP = 16 * 1024;
  private static final int FRAME_CAP = 16 * 1024;

  private static TestSwarm swarm;
  private static Victim strict;
  private static Victim smallQueue;
  private static int seed = 5000;

  /** A connectable peer node with its own limits, started and stopped here. */
  private record Victim(SwarmNode node, PeerServer server, Recorder recorder) {}

  @BeforeAll
  static void startSwarm() throws Exception {
    swarm = new TestSwarm(2, 4000);
    swarm.publish();
    strict = victim(new PeerLimits(FRAME_CAP, 4, 8, PeerLimits.DEFAULTS.queueBytes()), 512);
    smallQueue = victim(new PeerLimits(FrameType.MAX_FRAME, 200, 400, QUEUE_CAP), 20_000);
    swarm.addPeer(512, true);
    swarm.addPeer(512, true);
    await().atMost(Duration.ofSeconds(30)).until(() -> strict.recorder().chunks() >= 4
        && smallQueue.recorder().chunks() >= 4 && swarm.seq() >= 40);
  }

  @AfterAll
  static void stopSwarm() {
    for (Victim v : new Victim[] {strict, smallQueue}) {
      if (v != null) {
        v.node().close();
        v.server().close();
      }
    }
    if (swarm != null) {
      swarm.close();
    }
  }

  private static Victim victim(PeerLimits limits, int uploadKbps) throws InterruptedException {
    AtomicReference<SwarmNode> ref = new AtomicReference<>();
    PeerServer server = PeerServer.bind(swarm.group, "127.0.0.1", 0,
        k -> k.equals(swarm.key.channelKey()) ? ref.get() : null);
    Recorder rec = new Recorder(swarm.key.channelKey());
    SwarmNode node = SwarmNode.peer(new SwarmNode.Settings(
        swarm.peerConfig.withUploadKbps(uploadKbps), server.port(), "127.0.0.1", limits),
        swarm.join, swarm.group, rec);
    ref.set(node);
    node.start();
    return new Victim(node, server, rec);
  }

  private static List<Long> lastSixteen(long edgeSeq) {
    List<Long> seqs = new ArrayList<>();
    for (long s = edgeSeq - 15; s <= edgeSeq; s++) {
      seqs.add(s);
    }
    return seqs;
  }

  /** Asserts the peer at {@code localPort} was dropped with {@code kind}, the victim unharmed. */
  private static void assertDropped(Victim v, int localPort, String kind) {
    String address = "127.0.0.1:" + localPort;
    await().atMost(Duration.ofSeconds(20)).until(() -> v.node().incidents().stream()
        .anyMatch(i -> i.address().equals(address)));
    SwarmNode.Incident incident = v.node().incidents().stream()
        .filter(i -> i.address().equals(address)).findFirst().orElseThrow();
    assertThat(incident.kind()).isEqualTo(kind);
    assertThat(incident.banned()).isFalse();
    long before = v.recorder().nextPosition();
    await().atMost(Duration.ofSeconds(10)).until(() -> v.recorder().nextPosition()
        >= before + 2L * TestSwarm.CHUNK_BYTES);
    assertThat(v.node().stats().partners()).as("honest partners kept").isNotEmpty();
    assertThat(v.node().stats().partners()).as("the dropped peer is no partner")
        .noneMatch(p -> p.address().equals(address));
    assertThat(v.recorder().errors()).isEmpty();
  }

  @Test
  void aRequestOverTheConfiguredBurstIsFlooding() throws Exception {
    List<Long> seqs;
    try (Rogue r = new Rogue(strict.server().port(), swarm.key.channelKey(),
        Rogue.randomNode(++seed))) {
      seqs = lastSixteen(r.awaitHello().seq());
      // Under the default limits (burst 64) this one request is served.
      assertThat(new RequestBucket(PeerLimits.DEFAULTS.requestsPerSecond(),
          PeerLimits.DEFAULTS.requestBurst(), Clock.systemUTC()).take(2 * seqs.size()))
          .isEqualTo(RequestBucket.Outcome.SERVE);
      r.send(new BufferMap(0, 0, 0, new BitSet(), 0));
      r.send(new Frame.Request(r.awaitHello().epoch(), seqs));
      r.send(new Frame.Request(r.awaitHello().epoch(), seqs));
      assertThat(r.awaitClosed(10)).as("flooding peer closed").isTrue();
      assertDropped(strict, r.localPort(), "FLOODING");
    }
  }

  @Test
  void aFrameOverTheConfiguredSizeIsRefusedWithItsKind() throws Exception {
    try (Rogue r = new Rogue(strict.server().port(), swarm.key.channelKey(),
        Rogue.randomNode(++seed))) {
      r.awaitHello();
      int length = FRAME_CAP + 1000; // under the protocol's CHUNK maximum
      assertThat(length).isLessThan(FrameType.CHUNK.maxLength());
      byte[] head = {(byte) (length & 0x7F | 0x80), (byte) (length >>> 7 & 0x7F | 0x80),
          (byte) (length >>> 14), (byte) FrameType.CHUNK.code()};
      r.sendRaw(head);
      assertThat(r.awaitClosed(10)).as("oversized frame sender closed").isTrue();
      assertDropped(strict, r.localPort(), "FRAME_TOO_LARGE");
    }
  }

  @Test
  void aPeerThatDoesNotReadIsDroppedAtTheQueueCap() throws Exception {
    try (SilentPeer p = new SilentPeer(smallQueue.server().port(), swarm.key.channelKey(),
        Rogue.randomNode(++seed))) {
      ChunkHeader edge = p.hello();
      long helloAt = System.currentTimeMillis();
      p.send(new BufferMap(0, 0, 0, new BitSet(), 0));
      String address = "127.0.0.1:" + p.localPort();
      // 16 chunks of 8000 bytes every 100 ms (within 200/s): the loopback socket's send buffer
      // grows to 4 MiB (tcp_wmem) before the node has to queue anything.
      long asked = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
      while (System.nanoTime() < deadline && smallQueue.node().incidents().stream()
          .noneMatch(i -> i.address().equals(address))) {
        long seq = edge.seq() + (System.currentTimeMillis() - helloAt) / TestSwarm.CHUNK_MS;
        List<Long> seqs = lastSixteen(seq);
        try {
          p.send(new Frame.Request(edge.epoch(), seqs));
        } catch (java.io.IOException e) {
          break; // dropped while we wrote
        }
        asked += (long) seqs.size() * TestSwarm.CHUNK_BYTES;
        await().pollDelay(Duration.ofMillis(100)).until(() -> true);
      }
      assertDropped(smallQueue, p.localPort(), "SLOW_READER");
      long received = p.drain();
      // What reached the socket is what the node sent; it stopped at the cap, not at the asking.
      assertThat(received).as("bytes the node sent to the silent peer (asked %d)", asked)
          .isLessThan(asked);
    }
  }

  @Test
  void aConnectionThatSendsNoHelloIsClosed() throws Exception {
    try (java.net.Socket s = new java.net.Socket()) {
      s.connect(new java.net.InetSocketAddress("127.0.0.1", strict.server().port()), 3000);
      s.getOutputStream().write(dev.floe.swarm.wire.PeerWire.magicBytes());
      s.setSoTimeout(Connection.HELLO_TIMEOUT_MS + 5000);
      long t0 = System.nanoTime();
      assertThat(s.getInputStream().read()).as("closed without a word").isEqualTo(-1);
      assertThat((System.nanoTime() - t0) / 1_000_000).as("ms until closed")
          .isGreaterThanOrEqualTo(Connection.HELLO_TIMEOUT_MS - 1000);
    }
  }
}
