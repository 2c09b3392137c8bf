package dev.floe.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.proxy.it.support.FloeServer;
import dev.floe.proxy.it.support.LogCapture;
import dev.floe.proxy.it.support.RawListener;
import dev.floe.proxy.it.support.ScriptedUpstream;
import dev.floe.proxy.it.support.TestDirs;
import dev.floe.proxy.it.support.Tools;
import dev.floe.proxy.mount.Mount;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/**
 * The upstream client against upstreams that misbehave on cue: SHOUTcast's {@code ICY 200 OK},
 * redirects (and a redirect loop), a stall, and https with a certificate made by keytool.
 */
class UpstreamBehaviourTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final byte[] FRAMES = ScriptedUpstream.mp3Frames(400); // about 10 s of audio

  /** Sends an ICY head and the frames with metadata, then holds the connection open. */
  private static void icyStream(OutputStream out, String title) throws IOException {
    out.write(("ICY 200 OK\r\nicy-name:Shout Station\r\nicy-br:128\r\nicy-metaint:8192\r\n"
        + "content-type:audio/mpeg\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.write(ScriptedUpstream.withMetadata(FRAMES, 8192, title));
    out.flush();
  }

  @Test
  void shoutcastIcy200IsRelayedWithItsMetadataStripped() throws Exception {
    try (ScriptedUpstream up = ScriptedUpstream.start((n, head, out) -> {
          icyStream(out, "Shout; It's 'Live'");
        });
        FloeServer floe = FloeServer.relay("http://127.0.0.1:" + up.port() + "/stream",
            "/stream", "")) {
      Mount mount = floe.mount("/stream");
      await().atMost(WAIT).until(() -> mount.live() && mount.buffer().newest() > 64 * 1024);
      assertThat(mount.metadata().title()).isEqualTo("Shout; It's 'Live'");
      assertThat(up.requests().get(0)).startsWith("GET /stream HTTP/1.0\r\n")
          .contains("Icy-MetaData: 1\r\n");
      try (RawListener l = RawListener.builder(floe.port(), "/stream").icyMetadata(false)
          .captureBytes(8 * 417).open()) {
        assertThat(l.headers()).containsEntry("icy-name", "Shout Station")
            .containsEntry("icy-br", "128").doesNotContainKey("icy-metaint");
        await().atMost(WAIT).until(() -> l.captured().length >= 8 * 417);
        byte[] got = l.captured();
        for (int i = 0; i < got.length; i++) { // exactly the frames: no metadata left inside
          assertThat(got[i]).as("byte %d", i).isEqualTo(FRAMES[i % 417]);
        }
      }
      try (RawListener l = RawListener.builder(floe.port(), "/stream").icyMetadata(true).open()) {
        await().atMost(WAIT).until(() -> l.titles().contains("Shout; It's 'Live'"));
      }
    }
  }

  @Test
  void redirectsAreFollowedAndALoopIsBounded() throws Exception {
    try (ScriptedUpstream real = ScriptedUpstream.start((n, head, out) -> {
          icyStream(out, "Redirected");
        });
        ScriptedUpstream hop = ScriptedUpstream.start((n, head, out) -> out.write(
            ("HTTP/1.0 302 Found\r\nLocation: http://127.0.0.1:" + real.port() + "/real\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1)));
        FloeServer floe = FloeServer.relay("http://127.0.0.1:" + hop.port() + "/a", "/a", "")) {
      await().atMost(WAIT).until(() -> floe.mount("/a").live());
      assertThat(floe.mount("/a").upstream()).isEqualTo("http://127.0.0.1:" + real.port() + "/real");
      assertThat(real.requests().get(0)).startsWith("GET /real HTTP/1.0");
    }
    try (LogCapture log = LogCapture.capture();
        ScriptedUpstream loop = ScriptedUpstream.start((n, head, out) -> out.write(
            "HTTP/1.0 302 Found\r\nLocation: /again\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)));
        FloeServer floe = FloeServer.relay("http://127.0.0.1:" + loop.port() + "/a", "/a",
            ", max-redirects = 2")) {
      await().atMost(WAIT).until(() -> log.has("more than 2 redirects"));
      assertThat(floe.mount("/a").live()).isFalse();
      assertThat(loop.requests()).hasSizeGreaterThanOrEqualTo(3);
    }
  }

  @Test
  void aStalledUpstreamIsReplacedWhileTheListenerStaysConnected() throws Exception {
    try (LogCapture log = LogCapture.capture();
        ScriptedUpstream up = ScriptedUpstream.start((n, head, out) -> {
          icyStream(out, "Connection " + n); // then silence: a stall, the socket stays open
        });
        FloeServer floe = FloeServer.relay("http://127.0.0.1:" + up.port() + "/s", "/s",
            ", stall-timeout = 1s")) {
      Mount mount = floe.mount("/s");
      await().atMost(WAIT).until(mount::live);
      try (RawListener l = RawListener.builder(floe.port(), "/s").icyMetadata(true)
          .timeout(Duration.ofSeconds(60)).open()) {
        await().atMost(WAIT).until(() -> l.titles().contains("Connection 0"));
        await().atMost(WAIT).until(() -> log.has("stalled: no data for 1000 ms"));
        await().atMost(WAIT).until(() -> up.requests().size() >= 2);
        await().atMost(WAIT).until(() -> l.titles().contains("Connection 1"));
        assertThat(l.connected()).isTrue();
        assertThat(mount.counters().reconnects()).isGreaterThanOrEqualTo(1);
      }
    }
  }

  @Test
  void httpsUpstreamWithACertificateTheJvmTrusts() throws Exception {
    Path dir = TestDirs.create("https-upstream");
    Path store = dir.resolve("upstream.p12");
    Files.deleteIfExists(store);
    Process keytool = new ProcessBuilder(Tools.require("keytool", "openjdk-17-jdk-headless")
        .toString(), "-genkeypair", "-alias", "up", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=localhost", "-ext", "SAN=IP:127.0.0.1,DNS:localhost", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit",
        "-keypass", "changeit").redirectErrorStream(true).start();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes()))
        .isZero();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);
    String old = System.getProperty("javax.net.ssl.trustStore");
    System.setProperty("javax.net.ssl.trustStore", store.toString());
    System.setProperty("javax.net.ssl.trustStorePassword", "changeit");
    try (ScriptedUpstream up = ScriptedUpstream.start(tls.getServerSocketFactory(),
            (n, head, out) -> {
              icyStream(out, "Over TLS");
            });
        FloeServer floe = FloeServer.relay("https://127.0.0.1:" + up.port() + "/tls", "/tls",
            "")) {
      await().atMost(WAIT).until(() -> floe.mount("/tls").live());
      await().atMost(WAIT).until(() -> "Over TLS".equals(floe.mount("/tls").metadata().title()));
    } finally {
      if (old == null) {
        System.clearProperty("javax.net.ssl.trustStore");
      } else {
        System.setProperty("javax.net.ssl.trustStore", old);
      }
      System.clearProperty("javax.net.ssl.trustStorePassword");
    }
  }
}
