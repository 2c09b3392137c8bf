package dev.floe.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeServer;
import dev.floe.proxy.it.support.IcecastServer;
import dev.floe.proxy.it.support.RawListener;
import dev.floe.proxy.it.support.TestDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The server-wide limits against a real icecast2 2.4.4 in the same state: the global client limit
 * (icecast2's {@code <limits><clients>}, Floe's {@code max-clients}; both count the source's
 * connection too) and the source limit ({@code <limits><sources>}, {@code max-sources}). The
 * refused client gets icecast2's status line and message, and the listener already in keeps
 * receiving audio.
 */
class LimitsParityTest {
  private static final Duration LIVE = Duration.ofSeconds(20);

  private static FfmpegSource floeSource(FloeServer floe, String mount) {
    FfmpegSource s = FfmpegSource.builder(FfmpegSource.Format.MP3, floe.url(mount))
        .password("hackme").start();
    await(mount + " live on Floe").atMost(LIVE).until(() -> floe.mount(mount) != null
        && floe.mount(mount).buffer() != null);
    return s;
  }

  private static void assertStillListening(RawListener l) {
    long before = l.audioBytes();
    await("the listener already in keeps receiving").atMost(LIVE)
        .until(() -> l.audioBytes() > before + 16_000);
    assertThat(l.connected()).isTrue();
  }

  @Test
  void theGlobalClientLimitGetsIcecastsAnswer() {
    try (IcecastServer ice = IcecastServer.builder().clientsLimit(3)
            .start(TestDirs.create("limits-clients"));
        FfmpegSource iceSrc = FfmpegSource.mp3(ice.url("/g.mp3"));
        FloeServer floe = FloeServer.start(
            "server { sources-create-mounts = true, max-clients = 3 }");
        FfmpegSource floeSrc = floeSource(floe, "/g.mp3")) {
      ice.awaitMount("/g.mp3", LIVE);
      try (RawListener ice1 = RawListener.builder(ice.port(), "/g.mp3").open();
          RawListener ice2 = RawListener.builder(ice.port(), "/g.mp3").open();
          RawListener floe1 = RawListener.builder(floe.port(), "/g.mp3").open();
          RawListener floe2 = RawListener.builder(floe.port(), "/g.mp3").open()) {
        // One source and two listeners: three clients on each, the limit.
        // icecast2 answers on accept, before any request: read without sending one (a request
        // written after its close would only reset the connection).
        String real = answerOnConnect(ice.port());
        String ours = answerOnConnect(floe.port());
        assertThat(statusLine(ours)).isEqualTo(statusLine(real))
            .isEqualTo("HTTP/1.0 403 Forbidden");
        assertThat(body(ours)).isEqualTo(body(real)).isEqualTo("Icecast connection limit reached");
        assertThat(contentType(ours)).isEqualTo(contentType(real));
        assertStillListening(floe1);
        assertStillListening(ice1);
        floe2.close();
        ice2.close();
        for (int port : List.of(ice.port(), floe.port())) {
          await("a freed place is taken again on :" + port).atMost(LIVE)
              .until(() -> Wire.head(port, "/g.mp3", "again").status() == 200);
        }
      }
    }
  }

  @Test
  void theSourceLimitGetsIcecastsAnswer() {
    try (IcecastServer ice = IcecastServer.builder().sourcesLimit(1)
            .start(TestDirs.create("limits-sources"));
        FfmpegSource iceSrc = FfmpegSource.mp3(ice.url("/s1.mp3"));
        FloeServer floe = FloeServer.start(
            "server { sources-create-mounts = true, max-sources = 1 }");
        FfmpegSource floeSrc = floeSource(floe, "/s1.mp3")) {
      ice.awaitMount("/s1.mp3", LIVE);
      try (RawListener onIce = RawListener.builder(ice.port(), "/s1.mp3").open();
          RawListener onFloe = RawListener.builder(floe.port(), "/s1.mp3").open()) {
        String real = secondSource(ice.port());
        String ours = secondSource(floe.port());
        assertThat(statusLine(ours)).isEqualTo(statusLine(real))
            .isEqualTo("HTTP/1.0 403 Forbidden");
        assertThat(body(ours)).isEqualTo(body(real)).isEqualTo("too many sources connected");
        assertStillListening(onFloe);
        assertStillListening(onIce);
        assertThat(floeSrc.isAlive()).isTrue();
      }
    }
  }

  private static String contentType(String response) {
    return response.lines().takeWhile(l -> !l.isEmpty())
        .filter(l -> l.toLowerCase().startsWith("content-type:"))
        .map(l -> l.substring(13).trim()).findFirst().orElse(null);
  }

  /** Connects and reads what the server sends until it closes, sending nothing. */
  private static String answerOnConnect(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
      s.setSoTimeout(5000);
      return new String(s.getInputStream().readNBytes(64 * 1024), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A SOURCE on {@code /s2.mp3} with the right password; everything the server answers. */
  private static String secondSource(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
      s.setSoTimeout(5000);
      String auth = Base64.getEncoder().encodeToString(
          "source:hackme".getBytes(StandardCharsets.UTF_8));
      s.getOutputStream().write(("SOURCE /s2.mp3 HTTP/1.0\r\nAuthorization: Basic " + auth
          + "\r\nContent-Type: audio/mpeg\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      return new String(s.getInputStream().readNBytes(64 * 1024), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String statusLine(String response) {
    return response.lines().findFirst().orElse("");
  }

  private static String body(String response) {
    int end = response.indexOf("\r\n\r\n");
    return end < 0 ? "" : response.substring(end + 4);
  }
}
