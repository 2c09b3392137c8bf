package dev.floe.proxy.it.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.proxy.it.support.FloeServer;
import dev.floe.proxy.it.support.LogCapture;
import dev.floe.proxy.it.support.TestDirs;
import dev.floe.swarm.wire.PeerWire;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;
import dev.floe.swarm.chunk.ChannelKey;
import dev.floe.swarm.chunk.NodeId;
import dev.floe.swarm.chunk.OriginKey;
import dev.floe.swarm.wire.Frame;
import dev.floe.swarm.wire.FrameDecoder;
import dev.floe.swarm.wire.FrameEncoder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The one port of a running Floe with a swarm origin: HTTP is served as before, a connection
 * starting with 0x00 but not the peer magic gets 400 and is logged, and a peer is handed to the
 * swarm node: one of another channel gets REJECT, one of this channel the origin's HELLO.
 */
class FrontSniffTest {
  private static FloeServer floe;
  private static Path key;

  @BeforeAll
  static void start() {
    key = TestDirs.create("front-sniff").resolve("origin.key");
    floe = FloeServer.start("mounts = [ { path = \"/live\", swarm { role = origin, key-file = \""
        + key + "\" } } ]");
  }

  @AfterAll
  static void stop() {
    if (floe != null) {
      floe.close();
    }
  }

  /** Sends {@code bytes} and reads until the server closes (or 5 s pass: then fails). */
  private static byte[] exchange(byte[] bytes) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", floe.port()), 5000);
      s.setSoTimeout(5000);
      s.getOutputStream().write(bytes);
      s.getOutputStream().flush();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[4096];
      try {
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
          out.write(buf, 0, n);
        }
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the server did not close the connection within 5 s; got "
            + out.size() + " bytes", e);
      } catch (IOException e) {
        // reset by the server: closed as well
      }
      return out.toByteArray();
    }
  }

  @Test
  void theOriginKeyFileIsCreatedPrivate() throws IOException {
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
  }

  @Test
  void httpIsServedAsBefore() throws IOException {
    String r = new String(exchange("GET /status-json.xsl HTTP/1.0\r\n\r\n"
        .getBytes(StandardCharsets.US_ASCII)), StandardCharsets.ISO_8859_1);

    assertThat(r).startsWith("HTTP/1.0 200").contains("\"icestats\"");
  }

  @Test
  void zeroByteGarbageGets400AndIsLogged() throws IOException {
    try (LogCapture logs = LogCapture.capture()) {
      byte[] answer = exchange(new byte[] {0, 'G', 'E', 'T', ' ', '/', ' ', 'H', 'T', 'T', 'P'});

      assertThat(new String(answer, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.0 400");
      assertThat(logs.has("not the Floe peer magic")).isTrue();
    }
  }

  private static Frame.Hello hello(ChannelKey channel) {
    return new Frame.Hello(PeerWire.VERSION, 0, channel, NodeId.random(new SplittableRandom(7)),
        0, null);
  }

  @Test
  void aPeerOfAnotherChannelReachesTheSwarmAndIsRejected() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(PeerWire.magicBytes());
    out.writeBytes(FrameEncoder.encode(hello(OriginKey.generate().channelKey())));

    ByteBuffer in = ByteBuffer.wrap(exchange(out.toByteArray()));

    FrameDecoder d = new FrameDecoder();
    assertThat(d.next(in)).isInstanceOf(Frame.Hello.class);
    assertThat(d.next(in)).isEqualTo(new Frame.Reject(Frame.Reason.WRONG_CHANNEL, List.of()));
  }

  @Test
  void aPeerOfThisChannelGetsTheOriginsHello() throws Exception {
    ChannelKey ours = OriginKey.load(key).channelKey();
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", floe.port()), 5000);
      s.setSoTimeout(5000);
      s.getOutputStream().write(PeerWire.magicBytes());
      s.getOutputStream().write(FrameEncoder.encode(hello(ours)));
      s.getOutputStream().flush();
      FrameDecoder d = new FrameDecoder();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      Frame first = null;
      for (int i = 0; i < 100 && first == null; i++) {
        int n = s.getInputStream().read(buf);
        assertThat(n).as("the node closed before its HELLO").isPositive();
        got.write(buf, 0, n);
        ByteBuffer in = ByteBuffer.wrap(got.toByteArray());
        d = new FrameDecoder();
        first = d.next(in);
      }
      assertThat(first).isInstanceOf(Frame.Hello.class);
      assertThat(((Frame.Hello) first).channel()).isEqualTo(ours);
    }
  }
}
