package dev.floe.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.proxy.it.support.FfmpegPlayer;
import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeServer;
import dev.floe.proxy.it.support.IcecastServer;
import dev.floe.proxy.it.support.LogCapture;
import dev.floe.proxy.it.support.RawListener;
import dev.floe.proxy.it.support.TestDirs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile and broken clients against Floe while a real ffmpeg player keeps playing through it:
 * each bad client gets a specific status (or is closed) and a log line, and the player decodes
 * the whole run without an error.
 */
class BadInputTest {
  private static final Duration LIVE = Duration.ofSeconds(15);
  private static IcecastServer ice;
  private static FfmpegSource source;
  private static FloeServer floe;

  @BeforeAll
  static void start() {
    ice = IcecastServer.start(TestDirs.create("bad-input"));
    source = FfmpegSource.mp3(ice.url("/live"));
    ice.awaitMount("/live", LIVE);
    // 200 idle connections from one address below: above the per-address default (64), which
    // it.limits.LimitsTest covers.
    floe = FloeServer.start("server { header-timeout = 1s, max-headers = 50,"
        + " limits.max-connections-per-ip = 512 }\n"
        + "mounts = [ { path = \"/live\", upstreams = [\"" + ice.url("/live") + "\"],"
        + " burst-size = 16KiB, max-lag = 64KiB } ]");
    await().atMost(LIVE).until(() -> floe.mount("/live").live());
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {floe, source, ice}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // keep closing the others
      }
    }
  }

  @Test
  void badClientsGetClearAnswersWhileARealPlayerKeepsPlaying() throws Exception {
    try (LogCapture log = LogCapture.capture();
        FfmpegPlayer player = FfmpegPlayer.start(floe.url("/live"), true, Duration.ofSeconds(14));
        RawListener steady = RawListener.builder(floe.port(), "/live").icyMetadata(true).open()) {
      await().atMost(LIVE).until(() -> steady.audioBytes() > 16 * 1024);

      assertThat(exchange("GARBAGE\r\n\r\n")).startsWith("HTTP/1.0 400 ");
      assertThat(log.has("bad request")).isTrue();

      byte[] binary = new byte[2048];
      new Random(7).nextBytes(binary);
      binary[0] = 0x16; // a TLS ClientHello on the plain port
      assertThat(exchange(binary)).startsWith("HTTP/1.0 400 ");

      assertThat(exchange("GET /" + "a".repeat(9000) + " HTTP/1.0\r\n\r\n"))
          .startsWith("HTTP/1.0 414 ");
      assertThat(exchange("GET /live HTTP/1.0\r\nX-Big: " + "b".repeat(9000) + "\r\n\r\n"))
          .startsWith("HTTP/1.0 431 ");
      StringBuilder many = new StringBuilder("GET /live HTTP/1.0\r\n");
      for (int i = 0; i < 60; i++) {
        many.append("X-H").append(i).append(": v\r\n");
      }
      assertThat(exchange(many.append("\r\n").toString())).startsWith("HTTP/1.0 431 ");
      assertThat(log.has("bad request", "431")).isTrue();

      assertThat(endlessHeader()).startsWith("HTTP/1.0 431 ");
      assertThat(exchange("GET /nothing-here HTTP/1.0\r\n\r\n")).startsWith("HTTP/1.0 404 ");
      assertThat(exchange("DELETE /live HTTP/1.0\r\n\r\n")).startsWith("HTTP/1.0 405 ");
      assertThat(exchange("GET /live HTTP/1.0\r\nno colon here\r\n\r\n"))
          .startsWith("HTTP/1.0 400 ");

      // Slowloris: half a head, then nothing. Floe answers 408 after its header timeout (1 s).
      long t0 = System.nanoTime();
      try (Socket s = connect()) {
        s.getOutputStream().write("GET /live HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(readAll(s)).startsWith("HTTP/1.0 408 ");
      }
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(900),
          Duration.ofSeconds(5));
      assertThat(log.has("no complete request head")).isTrue();

      // Many idle connections at once cost nothing to the player.
      Socket[] idle = new Socket[200];
      try {
        for (int i = 0; i < idle.length; i++) {
          idle[i] = connect();
        }
        for (Socket s : idle) {
          assertThat(readAll(s)).startsWith("HTTP/1.0 408 ");
        }
      } finally {
        for (Socket s : idle) {
          if (s != null) {
            s.close();
          }
        }
      }

      assertThat(player.awaitExit(Duration.ofSeconds(40))).isZero();
      assertThat(player.decodeErrors()).isEmpty();
      assertThat(player.decodedDuration()).isGreaterThanOrEqualTo(Duration.ofSeconds(13));
      assertThat(steady.connected()).isTrue();
      assertThat(steady.readError()).isNull();
    }
  }

  /** A header line that never ends: Floe must answer once it passes the line limit. */
  private static String endlessHeader() throws IOException {
    try (Socket s = connect()) {
      OutputStream out = s.getOutputStream();
      out.write("GET /live HTTP/1.0\r\nX-Endless: ".getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = "z".repeat(1024).getBytes(StandardCharsets.US_ASCII);
      try {
        for (int i = 0; i < 64; i++) { // 64 KiB, far past the 8 KiB line limit
          out.write(chunk);
        }
      } catch (SocketException closedByFloe) {
        // Floe answered and closed while we were still sending: expected
      }
      return readAll(s);
    }
  }

  private static Socket connect() throws IOException {
    Socket s = new Socket("127.0.0.1", floe.port());
    s.setSoTimeout(10_000);
    return s;
  }

  private static String exchange(String request) throws IOException {
    return exchange(request.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static String exchange(byte[] request) throws IOException {
    try (Socket s = connect()) {
      try {
        s.getOutputStream().write(request);
      } catch (SocketException closedByFloe) {
        // answered before we finished sending
      }
      return readAll(s);
    }
  }

  private static String readAll(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    try {
      for (int n; (n = in.read(buf)) >= 0 && all.size() < 1 << 16; ) {
        all.write(buf, 0, n);
      }
    } catch (SocketException reset) {
      // a reset after the answer still leaves the answer in `all`
    }
    return all.toString(StandardCharsets.ISO_8859_1);
  }
}
