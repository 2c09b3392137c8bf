package dev.floe.swarm.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.swarm.chunk.OriginKey;
import dev.floe.swarm.schedule.SchedulerConfig;
import dev.floe.swarm.wire.Frame;
import dev.floe.swarm.wire.FrameEncoder;
import dev.floe.swarm.wire.PeerWire;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Peer connections handed over by the front: routed by HELLO's channel key, or refused. */
class AdoptionTest {
  private EventLoopGroup group;
  private final OriginKey keyA = OriginKey.generate();
  private final OriginKey keyB = OriginKey.generate();
  private SwarmNode a;
  private SwarmNode b;
  private PeerServer server;

  @BeforeEach
  void start() throws Exception {
    group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    SchedulerConfig cfg = SchedulerConfig.of(128, 320).withLagMs(4000).asOrigin(2);
    a = SwarmNode.origin(new SwarmNode.Settings(cfg, 0, "127.0.0.1"), keyA, group);
    b = SwarmNode.origin(new SwarmNode.Settings(cfg, 0, "127.0.0.1"), keyB, group);
    a.start();
    b.start();
    Map<Object, SwarmNode> nodes = Map.of(keyA.channelKey(), a, keyB.channelKey(), b);
    server = PeerServer.bind(group, "127.0.0.1", 0, nodes::get);
  }

  @AfterEach
  void stop() {
    server.close();
    a.close();
    b.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Test
  void helloIsRoutedToTheNodeOfItsChannel() throws Exception {
    try (Rogue toA = new Rogue(server.port(), keyA.channelKey(), Rogue.randomNode(1));
        Rogue toB = new Rogue(server.port(), keyB.channelKey(), Rogue.randomNode(2))) {
      toA.awaitHello();
      toB.awaitHello();
      Frame.Hello fromA = (Frame.Hello) toA.received().get(0);
      Frame.Hello fromB = (Frame.Hello) toB.received().get(0);
      assertThat(fromA.channel()).isEqualTo(keyA.channelKey());
      assertThat(fromA.node()).isEqualTo(a.nodeId());
      assertThat(fromB.channel()).isEqualTo(keyB.channelKey());
      assertThat(fromB.node()).isEqualTo(b.nodeId());
      assertThat(toA.awaitClosed(0)).isFalse();
    }
  }

  @Test
  void unknownChannelGetsRejectAndIsClosed() throws Exception {
    try (Rogue r = new Rogue(server.port(), OriginKey.generate().channelKey(),
        Rogue.randomNode(3))) {
      assertThat(r.awaitClosed(10)).isTrue();
      assertThat(r.received()).hasSize(2);
      assertThat(r.received().get(1)).isEqualTo(
          new Frame.Reject(Frame.Reason.WRONG_CHANNEL, java.util.List.of()));
    }
  }

  @Test
  void anotherVersionGetsReject() throws Exception {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", server.port()), 3000);
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(PeerWire.magicBytes());
      out.write(FrameEncoder.encode(new Frame.Hello(2, 0, keyA.channelKey(), Rogue.randomNode(4),
          0, null)));
      out.flush();
      byte[] all = s.getInputStream().readAllBytes();
      dev.floe.swarm.wire.FrameDecoder d = new dev.floe.swarm.wire.FrameDecoder();
      java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(all);
      assertThat(d.next(in)).isInstanceOf(Frame.Hello.class);
      assertThat(d.next(in)).isEqualTo(new Frame.Reject(Frame.Reason.VERSION, java.util.List.of()));
    }
  }

  @Test
  void bytesThatAreNotThePeerMagicAreClosed() throws Exception {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", server.port()), 3000);
      s.setSoTimeout(10_000);
      s.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      assertThat(in.read()).isEqualTo(-1);
    }
  }

  @Test
  void aBadMagicIsDroppedBeforeAnyNodeSeesIt() throws Exception {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", server.port()), 3000);
      s.setSoTimeout(10_000);
      s.getOutputStream().write(new byte[] {0, 'F', 'L', 'O', 'X', 1, 2, 3});
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
    assertThat(a.incidents()).isEmpty();
  }
}
