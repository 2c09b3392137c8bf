package dev.floe.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeServer;
import dev.floe.proxy.it.support.IcecastServer;
import dev.floe.proxy.it.support.Ports;
import dev.floe.proxy.it.support.RawListener;
import dev.floe.proxy.it.support.TestDirs;
import dev.floe.proxy.status.StrictJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a player sees from Floe, byte for byte where Icecast 2.4 defines it: the response head,
 * metadata only on request, HEAD, Range probes, CORS, playlists and the status JSON.
 */
class ListenerProtocolTest {
  private static final Duration LIVE = Duration.ofSeconds(15);
  private static IcecastServer ice;
  private static FfmpegSource a;
  private static FfmpegSource b;
  private static FloeServer floe;

  @BeforeAll
  static void start() {
    ice = IcecastServer.start(TestDirs.create("listener-protocol"));
    a = FfmpegSource.builder(FfmpegSource.Format.MP3, ice.url("/a")).iceName("Station A")
        .iceGenre("Jazz").start();
    b = FfmpegSource.mp3(ice.url("/b"));
    ice.awaitMount("/a", LIVE);
    ice.awaitMount("/b", LIVE);
    int dead = Ports.free(); // nothing listens there: a mount that never goes live
    floe = FloeServer.start("mounts = ["
        + "{ path = \"/a\", upstreams = [\"" + ice.url("/a") + "\"] },"
        + "{ path = \"/b\", upstreams = [\"" + ice.url("/b") + "\"] },"
        + "{ path = \"/dead\", upstreams = [\"http://127.0.0.1:" + dead + "/x\"],"
        + " start-hold = 1s } ]"); // a dead relay holds a player that long, then 404
    await().atMost(LIVE).until(() -> floe.mount("/a").live() && floe.mount("/b").live());
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {floe, a, b, ice}) {
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
  void listenerHeadMatchesIcecastAndCarriesUpstreamIcyHeaders() {
    try (RawListener l = RawListener.builder(floe.port(), "/a").icyMetadata(true).open()) {
      assertThat(l.statusLine()).isEqualTo("HTTP/1.0 200 OK");
      Map<String, String> h = l.headers();
      assertThat(h).containsEntry("content-type", "audio/mpeg")
          .containsEntry("icy-name", "Station A")
          .containsEntry("icy-genre", "Jazz")
          .containsEntry("icy-metaint", "16000")
          .containsEntry("cache-control", "no-cache, no-store")
          .containsEntry("pragma", "no-cache")
          .containsEntry("expires", "Mon, 26 Jul 1997 05:00:00 GMT")
          .containsEntry("access-control-allow-origin", "*")
          .containsKey("date")
          .doesNotContainKey("content-length")
          .doesNotContainKey("icy-metadata");
      assertThat(h.get("access-control-expose-headers")).contains("icy-metaint", "icy-name",
          "icy-br", "ice-audio-info");
      assertThat(h.get("server")).startsWith("Icecast 2.4");
      await().atMost(LIVE).until(() -> l.metadataBlocks() >= 2);
    }
  }

  @Test
  void noMetadataUnlessAsked() {
    try (RawListener l = RawListener.builder(floe.port(), "/a").icyMetadata(false).open()) {
      assertThat(l.status()).isEqualTo(200);
      assertThat(l.headers()).doesNotContainKey("icy-metaint");
      await().atMost(LIVE).until(() -> l.audioBytes() > 40_000);
      assertThat(l.metadataBlocks()).isZero();
    }
    try (RawListener l = RawListener.builder(floe.port(), "/a").header("Icy-MetaData", "0")
        .open()) {
      assertThat(l.headers()).doesNotContainKey("icy-metaint");
    }
  }

  @Test
  void burstOfSixtyFourKibArrivesAtOnce() {
    // A player starts listener-delay + burst behind live (128 KiB by default) and gets the burst
    // at once: wait until the buffer holds that much.
    await().atMost(Duration.ofSeconds(30)).until(() -> floe.mount("/b").buffer().newest()
        - floe.mount("/b").buffer().oldest() > 136 * 1024);
    long t0 = System.nanoTime();
    try (RawListener l = RawListener.builder(floe.port(), "/b").icyMetadata(true).open()) {
      // 64 KiB is 4 s of this 128 kbit/s stream: only the burst can deliver it this fast.
      await().atMost(Duration.ofMillis(400)).pollInterval(Duration.ofMillis(5))
          .until(() -> l.audioBytes() >= 64 * 1024);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(400));
    }
  }

  @Test
  void headOnAMountIs400AsOnIcecast2ButAnswersTheHeadOfAPage() throws IOException {
    assertThat(exchange("HEAD /a HTTP/1.0\r\nIcy-MetaData: 1\r\n\r\n"))
        .startsWith("HTTP/1.0 400 Bad Request\r\n");
    String page = exchange("HEAD /status-json.xsl HTTP/1.0\r\n\r\n");
    assertThat(page).startsWith("HTTP/1.0 200 OK\r\n").endsWith("\r\n\r\n");
  }

  @Test
  void serverVersionPageShowsTheServer() throws IOException {
    assertThat(exchange("GET /server_version.xsl HTTP/1.0\r\n\r\n"))
        .startsWith("HTTP/1.0 200 OK\r\n").contains("Content-Type: text/html; charset=utf-8")
        .contains("<h1>Server information</h1>");
  }

  @Test
  void rangeProbeGetsTheStreamWithMetadataNotA206() {
    try (RawListener l = RawListener.builder(floe.port(), "/a").header("Range", "bytes=0-1")
        .icyMetadata(true).open()) {
      assertThat(l.status()).isEqualTo(200);
      assertThat(l.headers()).containsEntry("icy-metaint", "16000");
      await().atMost(LIVE).until(() -> l.audioBytes() > 2);
    }
  }

  @Test
  void malformedFloePositionIs400AndAnUnreachableOneIs416() throws IOException {
    assertThat(exchange("GET /a HTTP/1.0\r\nFloe-Position: yesterday\r\n\r\n"))
        .startsWith("HTTP/1.0 400 ").contains("Malformed Floe-Position");
    String epoch = floe.mount("/a").segment().epoch();
    assertThat(exchange("GET /a HTTP/1.0\r\nFloe-Position: " + epoch
        + ":9223372036854775807\r\n\r\n"))
        .startsWith("HTTP/1.0 416 ").contains("Floe-Window: ").contains("Floe-Position: " + epoch);
  }

  @Test
  void optionsPreflightAnswersCors() throws IOException {
    String resp = exchange("OPTIONS /a HTTP/1.1\r\nHost: x\r\nOrigin: http://web.example\r\n"
        + "Access-Control-Request-Headers: icy-metadata\r\n\r\n");
    assertThat(resp).startsWith("HTTP/1.0 204 No Content\r\n")
        .contains("Access-Control-Allow-Origin: *\r\n")
        .containsPattern("Access-Control-Allow-Headers: [^\r]*Icy-MetaData")
        .contains("Allow: GET, HEAD, OPTIONS\r\n");
  }

  /** Icecast's rule: the Host header names the server only when it carries a port. */
  @Test
  void playlistsPointAtTheMount() throws IOException {
    assertThat(exchange("GET /a.m3u HTTP/1.0\r\nHost: radio.example\r\n\r\n"))
        .endsWith("\r\n\r\nhttp://localhost:" + floe.port() + "/a\r\n");
    HttpResponse<String> m3u = floe.get("/a.m3u");
    assertThat(m3u.statusCode()).isEqualTo(200);
    assertThat(m3u.headers().firstValue("Content-Type")).hasValue("audio/x-mpegurl");
    assertThat(m3u.body()).isEqualTo("http://127.0.0.1:" + floe.port() + "/a\r\n");
    HttpResponse<String> pls = floe.get("/a.pls");
    assertThat(pls.body()).contains("File1=http://127.0.0.1:" + floe.port() + "/a")
        .contains("Title1=Station A");
    HttpResponse<String> xspf = floe.get("/a.xspf");
    assertThat(xspf.body()).contains("<location>http://127.0.0.1:" + floe.port() + "/a</location>");
    assertThat(floe.get("/nope.m3u").statusCode()).isEqualTo(404);
  }

  @Test
  void statusJsonHasIcecastShapeWithLiveMountsOnly() {
    HttpResponse<String> r = floe.get("/status-json.xsl");
    assertThat(r.statusCode()).isEqualTo(200);
    Map<String, Object> icestats = StrictJson.obj(StrictJson.obj(StrictJson.parse(r.body()))
        .get("icestats"));
    List<Object> sources = StrictJson.arr(icestats.get("source"));
    assertThat(sources).hasSize(2); // "/dead" never went live
    Map<String, Object> first = StrictJson.obj(sources.get(0));
    assertThat(first.get("listenurl")).isEqualTo("http://127.0.0.1:" + floe.port() + "/a");
    assertThat(first.get("server_name")).isEqualTo("Station A");
    assertThat(first.get("server_type")).isEqualTo("audio/mpeg");
    assertThat(first).containsKeys("listeners", "listener_peak", "floe_live", "dummy");
  }

  @Test
  void statusJsonWithOneAndNoMountsIsValid() {
    try (FloeServer one = FloeServer.relay(ice.url("/b"), "/one", "")) {
      await().atMost(LIVE).until(() -> one.mount("/one").live());
      Map<String, Object> icestats = StrictJson.obj(StrictJson.obj(
          StrictJson.parse(one.get("/status-json.xsl").body())).get("icestats"));
      assertThat(StrictJson.obj(icestats.get("source")).get("listenurl"))
          .isEqualTo("http://127.0.0.1:" + one.port() + "/one");
    }
    try (FloeServer none = FloeServer.start("mounts = []")) {
      Map<String, Object> icestats = StrictJson.obj(StrictJson.obj(
          StrictJson.parse(none.get("/status-json.xsl").body())).get("icestats"));
      assertThat(icestats).doesNotContainKey("source").containsKey("server_id");
    }
  }

  @Test
  void statusPageAndUnknownPaths() {
    HttpResponse<String> page = floe.get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("/a").contains("/b").contains("Station A");
    assertThat(floe.get("/nowhere").statusCode()).isEqualTo(404);
    assertThat(floe.get("/dead").statusCode()).isEqualTo(404);
  }

  /** Sends raw request bytes and reads the whole response until the server closes. */
  private static String exchange(String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", floe.port())) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      for (int n; (n = in.read(buf)) >= 0 && all.size() < 1 << 20; ) {
        all.write(buf, 0, n);
      }
      return all.toString(StandardCharsets.ISO_8859_1);
    }
  }
}
