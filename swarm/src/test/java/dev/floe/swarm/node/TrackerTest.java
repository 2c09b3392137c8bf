package dev.floe.swarm.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.swarm.chunk.NodeId;
import dev.floe.swarm.chunk.OriginKey;
import dev.floe.swarm.chunk.PeerRecord;
import dev.floe.swarm.schedule.SchedulerConfig;
import dev.floe.swarm.wire.Frame;
import dev.floe.swarm.wire.FrameDecoder;
import dev.floe.swarm.wire.FrameEncoder;
import dev.floe.swarm.wire.PeerWire;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The origin's tracker lists a peer only after a connect-back to its announced port succeeds. */
class TrackerTest {
  private EventLoopGroup group;
  private final OriginKey key = OriginKey.generate();
  private SwarmNode origin;
  private PeerServer server;

  @BeforeEach
  void start() throws Exception {
    group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    SchedulerConfig cfg = SchedulerConfig.of(128, 320).withLagMs(4000).asOrigin(2);
    origin = SwarmNode.origin(new SwarmNode.Settings(cfg, 0, "127.0.0.1"), key, group);
    origin.start();
    server = PeerServer.bind(group, "127.0.0.1", 0,
        k -> k.equals(key.channelKey()) ? origin : null);
  }

  @AfterEach
  void stop() {
    server.close();
    origin.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /**
   * Accepts one connection on {@code listener}, reads the magic and the origin's HELLO, answers
   * with a HELLO from {@code as}; completes with the HELLO it got.
   */
  private CompletableFuture<Frame.Hello> answerConnectBack(ServerSocket listener, NodeId as) {
    return CompletableFuture.supplyAsync(() -> {
      try (Socket s = listener.accept()) {
        s.setSoTimeout(10_000);
        InputStream in = s.getInputStream();
        FrameDecoder d = new FrameDecoder();
        byte[] buf = new byte[4096];
        Frame f = null;
        while (f == null) {
          int n = in.read(buf);
          if (n < 0) {
            throw new IllegalStateException("closed before HELLO");
          }
          f = d.next(ByteBuffer.wrap(buf, 0, n));
        }
        OutputStream out = s.getOutputStream();
        out.write(PeerWire.magicBytes());
        out.write(FrameEncoder.encode(new Frame.Hello(PeerWire.VERSION, 0, key.channelKey(), as,
            listener.getLocalPort(), null)));
        out.flush();
        in.readAllBytes();
        return (Frame.Hello) f;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  @Test
  void aReachablePeerIsListedAndOfferedToOthers() throws Exception {
    NodeId a = Rogue.randomNode(10);
    try (ServerSocket listener = new ServerSocket(0, 1,
        java.net.InetAddress.getByName("127.0.0.1"));
        Rogue peerA = new Rogue(server.port(), key.channelKey(), a)) {
      CompletableFuture<Frame.Hello> probe = answerConnectBack(listener, a);
      peerA.awaitHello();
      peerA.send(new Frame.Announce(listener.getLocalPort(), 512, 0, 0));
      Frame.Hello fromOrigin = probe.get(10, TimeUnit.SECONDS);
      assertThat(fromOrigin.node()).isEqualTo(origin.nodeId());
      await().atMost(Duration.ofSeconds(5)).until(() -> origin.trackerLists(a));
      assertThat(origin.stats().trackerPeers()).isEqualTo(1);
      await().atMost(Duration.ofSeconds(5)).until(() -> peerA.received().stream()
          .anyMatch(f -> f instanceof Frame.Peers));
      Frame.Peers own = (Frame.Peers) peerA.received().stream()
          .filter(f -> f instanceof Frame.Peers).findFirst().orElseThrow();
      assertThat(own.peers()).isEmpty();

      try (Rogue peerB = new Rogue(server.port(), key.channelKey(), Rogue.randomNode(11))) {
        peerB.awaitHello();
        peerB.send(new Frame.Announce(0, 0, 0, 0));
        await().atMost(Duration.ofSeconds(5)).until(() -> peerB.received().stream()
            .anyMatch(f -> f instanceof Frame.Peers));
        Frame.Peers answer = (Frame.Peers) peerB.received().stream()
            .filter(f -> f instanceof Frame.Peers).findFirst().orElseThrow();
        // The advice follows the swarm's size, not the origin's own lag; every swarm of up to
        // 100 peers gets the same.
        assertThat(answer.advisedLagMillis()).isEqualTo(SchedulerConfig.advisedLagMs(
            Tracker.SMALLEST_ADVISED_SWARM)).isEqualTo(own.advisedLagMillis());
        assertThat(answer.peers()).hasSize(1);
        PeerRecord r = answer.peers().get(0);
        assertThat(r.verify(key.channelKey())).isTrue();
        assertThat(r.node()).isEqualTo(a);
        assertThat(r.port()).isEqualTo(listener.getLocalPort());
        assertThat(r.connectable()).isTrue();
        assertThat(r.address().getHostAddress()).isEqualTo("127.0.0.1");
      }
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> !origin.trackerLists(a));
  }

  @Test
  void aPeerWhosePortIsNotReachableIsNeverListed() throws Exception {
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0)) {
      closedPort = probe.getLocalPort();
    }
    NodeId node = Rogue.randomNode(12);
    try (Rogue peer = new Rogue(server.port(), key.channelKey(), node)) {
      peer.awaitHello();
      peer.send(new Frame.Announce(closedPort, 512, 0, 0));
      await().atMost(Duration.ofSeconds(5)).until(() -> peer.received().stream()
          .anyMatch(f -> f instanceof Frame.Peers));
      await().during(Duration.ofMillis(Links.CONNECT_TIMEOUT_MS + 1000))
          .atMost(Duration.ofSeconds(10)).until(() -> !origin.trackerLists(node));
      assertThat(origin.stats().trackerPeers()).isZero();
    }
  }

  @Test
  void aConnectBackAnsweredByAnotherNodeIsNotListed() throws Exception {
    NodeId node = Rogue.randomNode(13);
    try (ServerSocket listener = new ServerSocket(0, 1,
        java.net.InetAddress.getByName("127.0.0.1"));
        Rogue peer = new Rogue(server.port(), key.channelKey(), node)) {
      CompletableFuture<Frame.Hello> probe = answerConnectBack(listener, Rogue.randomNode(14));
      peer.awaitHello();
      peer.send(new Frame.Announce(listener.getLocalPort(), 512, 0, 0));
      probe.get(10, TimeUnit.SECONDS);
      await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
          .until(() -> !origin.trackerLists(node));
      assertThat(origin.stats().trackerPeers()).isZero();
    }
  }

  @Test
  void announcesWithoutPortAreAnsweredButNotListed() throws Exception {
    NodeId node = Rogue.randomNode(15);
    try (Rogue peer = new Rogue(server.port(), key.channelKey(), node)) {
      peer.awaitHello();
      peer.send(new Frame.Announce(0, 0, 0, 0));
      await().atMost(Duration.ofSeconds(5)).until(() -> peer.received().stream()
          .anyMatch(f -> f instanceof Frame.Peers));
      assertThat(origin.trackerLists(node)).isFalse();
      assertThat(List.of(origin.stats().trackerPeers())).containsExactly(0);
    }
  }
}
