package dev.floe.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.floe.icy.head.HeadLimits;
import dev.floe.proxy.config.ProxySettings;
import dev.floe.proxy.config.ConfigLoader;
import dev.floe.proxy.config.ServerSettings;
import dev.floe.proxy.it.support.LogCapture;
import dev.floe.proxy.mount.MountRegistry;
import dev.floe.swarm.wire.PeerWire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The front decides at the first byte: 0x00 plus the rest of the peer magic goes to the swarm
 * with every byte read; any other first byte is HTTP, untouched; 0x00 followed by anything else
 * gets 400 Bad Request and is logged.
 */
class PeerSniffTest {
  private Router router;
  private ServerSettings settings;
  private final List<byte[]> adopted = new ArrayList<>();
  private final List<Channel> adoptedChannels = new ArrayList<>();
  private LogCapture logs;

  @BeforeEach
  void setUp() throws Exception {
    settings = ConfigLoader.fromConfig(ConfigFactory.parseString("floe { }")).server();
    router = new Wiring(MountRegistry.fixed(), () -> 0, () -> 0, null, this::adopt)
        .router(settings);
    logs = LogCapture.capture();
  }

  @AfterEach
  void tearDown() {
    logs.close();
  }

  private EmbeddedChannel channel() {
    return new EmbeddedChannel(new FrontHandler(router, new ClientResolver(ProxySettings.NONE,
        null, () -> router), new HeadLimits(8192, 100, 16384),
        Duration.ofSeconds(15), Duration.ofSeconds(10)));
  }

  /** Where the router of setUp hands peers: recorded. */
  private void adopt(Channel ch, ByteBuf buf) {
    byte[] b = new byte[buf.readableBytes()];
    buf.readBytes(b);
    buf.release();
    adopted.add(b);
    adoptedChannels.add(ch);
  }

  private static ByteBuf bytes(byte[] b) {
    return Unpooled.wrappedBuffer(b);
  }

  @Test
  void peerMagicGoesToTheSwarmWithEveryByteRead() {
    EmbeddedChannel ch = channel();
    byte[] magic = PeerWire.magicBytes();
    byte[] hello = {0x01, 0x02, 0x03};

    ch.writeInbound(bytes(Arrays.copyOf(magic, 3)));
    assertThat(adopted).isEmpty();
    assertThat(ch.isOpen()).isTrue();
    byte[] rest = new byte[magic.length - 3 + hello.length];
    System.arraycopy(magic, 3, rest, 0, magic.length - 3);
    System.arraycopy(hello, 0, rest, magic.length - 3, hello.length);
    ch.writeInbound(bytes(rest));

    assertThat(adopted).hasSize(1);
    byte[] expected = new byte[magic.length + hello.length];
    System.arraycopy(magic, 0, expected, 0, magic.length);
    System.arraycopy(hello, 0, expected, magic.length, hello.length);
    assertThat(adopted.get(0)).isEqualTo(expected);
    assertThat(adoptedChannels.get(0)).isSameAs(ch);
    assertThat(ch.pipeline().get(FrontHandler.class)).isNull();
    assertThat((Object) ch.readOutbound()).isNull();
  }

  @Test
  void httpIsUnaffected() {
    EmbeddedChannel ch = channel();

    ch.writeInbound(bytes("GET /status-json.xsl HTTP/1.0\r\n\r\n"
        .getBytes(StandardCharsets.US_ASCII)));

    StringBuilder all = new StringBuilder();
    for (int i = 0; i < 16; i++) {
      ByteBuf out = ch.readOutbound();
      if (out == null) {
        break;
      }
      all.append(out.toString(StandardCharsets.ISO_8859_1));
      out.release();
    }
    String response = all.toString();
    assertThat(response).startsWith("HTTP/1.0 200").contains("icestats");
    assertThat(adopted).isEmpty();
  }

  @Test
  void garbageAfterAZeroByteGets400AndIsLogged() {
    EmbeddedChannel ch = channel();

    ch.writeInbound(bytes(new byte[] {0x00, 'F', 'L', 'X', 'E', 1, 2, 3, 4}));

    assertThat(adopted).isEmpty();
    ByteBuf out = ch.readOutbound();
    assertThat(out).as("an answer").isNotNull();
    assertThat(out.toString(StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.0 400");
    out.release();
    assertThat(ch.isOpen()).isFalse();
    assertThat(logs.has("not the Floe peer magic")).isTrue();
  }

  @Test
  void aPeerWithoutASwarmIsRefusedAndLogged() {
    router = new Wiring(MountRegistry.fixed(), () -> 0, () -> 0, null, null).router(settings);
    EmbeddedChannel ch = channel();

    ch.writeInbound(bytes(PeerWire.magicBytes()));

    assertThat(ch.isOpen()).isFalse();
    assertThat(logs.has("no mount here has a swarm")).isTrue();
  }

  @Test
  void aZeroByteLaterInAnHttpHeadIsNotAPeer() {
    EmbeddedChannel ch = channel();

    ch.writeInbound(bytes("GET /sta".getBytes(StandardCharsets.US_ASCII)));
    ch.writeInbound(bytes(new byte[] {0x00, 'x'}));

    assertThat(adopted).isEmpty();
  }
}
