package dev.floe.proxy.it.hls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.proxy.it.playlist.Media;
import dev.floe.proxy.it.support.FloeServer;
import dev.floe.proxy.it.support.TestDirs;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /<mount>.hls/report} over a real socket: a good report is counted and shown in the
 * status JSON and {@code /metrics} beside the HTTP segment bytes Floe measured; an oversized body
 * gets 413, one without a length 411, a malformed or implausible one 400, a flood 429; refused
 * reports count nothing but themselves.
 */
class HlsReportTest {
  private Path dir;
  private FloeServer floe;

  @BeforeEach
  void start() throws Exception {
    dir = TestDirs.create("hls-report");
    Media.tone(dir, "one.mp3", "One", 440, 30, 64);
    Path m3u = Files.writeString(dir.resolve("list.m3u"), "one.mp3\n");
    floe = FloeServer.start("mounts = [ { path = \"/pl\", playlist = \"" + m3u + "\" } ]");
    await().atMost(Duration.ofSeconds(10)).until(() -> floe.mount("/pl").live());
  }

  @AfterEach
  void stop() {
    if (floe != null) {
      floe.close();
    }
  }

  @Test
  void aGoodReportIsCountedBesideTheMeasuredHttpBytes() throws Exception {
    String list = await().atMost(Duration.ofSeconds(30)).until(
        () -> Hls.text(Hls.get(floe.url("/pl.m3u8"))), p -> !Hls.segments(p).isEmpty());
    HttpResponse<byte[]> seg = Hls.get(floe.url("/" + Hls.segments(list).get(0)));
    assertThat(seg.statusCode()).isEqualTo(200);
    int segBytes = seg.body().length;
    assertThat(segBytes).isGreaterThan(1000);

    String body = "{\"seconds\":20,\"http\":" + segBytes + ",\"p2p\":" + (3L * segBytes)
        + ",\"rejected\":1,\"offenders\":[\"-PM0100-hostile0001\"]}";
    assertThat(post("/pl.hls/report", body)).startsWith("HTTP/1.0 204");
    // a body arriving after its head, in two writes
    assertThat(post("/pl.hls/report", "Content-Length: 24\r\n", "{\"seconds\":5,", "\"p2p\":1000}"))
        .startsWith("HTTP/1.0 204");

    String json = floe.get("/status-json.xsl").body();
    assertThat(number(json, "floe_hls_http_bytes")).isEqualTo(segBytes);
    assertThat(number(json, "floe_hls_peer_bytes")).isEqualTo(3L * segBytes + 1000);
    assertThat(number(json, "floe_hls_reported_http_bytes")).isEqualTo(segBytes);
    assertThat(number(json, "floe_hls_rejected_segments")).isEqualTo(1);
    assertThat(number(json, "floe_hls_reports")).isEqualTo(2);
    assertThat(number(json, "floe_hls_reports_refused")).isZero();
    assertThat(json).contains("\"floe_hls_offenders\":[\"-PM0100-hostile0001\"]");
    double share = (3.0 * segBytes + 1000) / (4.0 * segBytes + 1000);
    Matcher off = Pattern.compile("\"floe_hls_offload\":([0-9.]+)").matcher(json);
    assertThat(off.find()).as(json).isTrue();
    assertThat(Double.parseDouble(off.group(1))).isCloseTo(share,
        org.assertj.core.data.Offset.offset(1e-6));

    String metrics = floe.get("/metrics").body();
    assertThat(metrics)
        .contains("floe_hls_http_bytes_total{mount=\"/pl\"} " + segBytes + "\n")
        .contains("floe_hls_peer_bytes_total{mount=\"/pl\"} " + (3L * segBytes + 1000) + "\n")
        .contains("floe_hls_rejected_segments_total{mount=\"/pl\"} 1\n")
        .contains("floe_hls_reports_total{mount=\"/pl\"} 2\n")
        .contains("# TYPE floe_hls_peer_bytes_total counter");
    assertThat(floe.get("/status.xsl").body()).contains("HLS offload")
        .contains("from browser peers");
  }

  @Test
  void badReportsAreRefusedWithTheirStatusAndCountNothing() throws Exception {
    // oversized: refused from its head, before any of the body is read
    assertThat(post("/pl.hls/report", "Content-Length: 1025\r\n", "")).startsWith(
        "HTTP/1.0 413");
    assertThat(post("/pl.hls/report", "Content-Length: 99999999999999999999\r\n", ""))
        .startsWith("HTTP/1.0 400");
    assertThat(post("/pl.hls/report", "", "")).startsWith("HTTP/1.0 411");
    assertThat(post("/pl.hls/report", "{\"seconds\":1,\"p2p\":-5}")).startsWith("HTTP/1.0 400")
        .contains("is -5");
    assertThat(post("/pl.hls/report", "not json")).startsWith("HTTP/1.0 400");
    assertThat(post("/pl.hls/report", "{\"seconds\":1,\"evil\":1}")).startsWith("HTTP/1.0 400")
        .contains("unknown key");
    // a petabyte of peer bytes in one second: more than a 64 kbit/s stream carries
    assertThat(post("/pl.hls/report", "{\"seconds\":1,\"p2p\":1000000000000}"))
        .startsWith("HTTP/1.0 400").contains("more than the stream carries");
    assertThat(post("/nomount.hls/report", "{\"seconds\":1}")).startsWith("HTTP/1.0 404");
    String json = floe.get("/status-json.xsl").body();
    assertThat(number(json, "floe_hls_peer_bytes")).isZero();
    assertThat(number(json, "floe_hls_reports")).isZero();
    assertThat(number(json, "floe_hls_reports_refused")).isEqualTo(7);
    assertThat(floe.get("/metrics").body())
        .contains("floe_hls_reports_refused_total{mount=\"/pl\"} 7\n");
    // Floe still serves after all that
    assertThat(floe.get("/status-json.xsl").statusCode()).isEqualTo(200);
  }

  @Test
  void aFloodFromOneAddressGets429WithRetryAfter() throws Exception {
    int ok = 0;
    String refused = null;
    for (int i = 0; i < 60 && refused == null; i++) { // 30 at once, then 1 a second
      String r = post("/pl.hls/report", "{\"seconds\":1,\"p2p\":100}");
      if (r.startsWith("HTTP/1.0 204")) {
        ok++;
      } else {
        refused = r;
      }
    }
    assertThat(refused).isNotNull().startsWith("HTTP/1.0 429").contains("Retry-After: ");
    assertThat(ok).isBetween(30, 40);
    String json = floe.get("/status-json.xsl").body();
    assertThat(number(json, "floe_hls_reports")).isEqualTo(ok);
    assertThat(number(json, "floe_hls_peer_bytes")).isEqualTo(100L * ok);
  }

  @Test
  void aBodyThatDoesNotComeGets408AndCountsNothing() throws Exception {
    floe.close();
    floe = FloeServer.start("server.header-timeout = 1s\n"
        + "mounts = [ { path = \"/pl\", playlist = \"" + dir.resolve("list.m3u") + "\" } ]");
    await().atMost(Duration.ofSeconds(10)).until(() -> floe.mount("/pl").live());
    long t0 = System.nanoTime();
    assertThat(post("/pl.hls/report", "Content-Length: 40\r\n", "{\"seconds\":1,"))
        .startsWith("HTTP/1.0 408");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    String json = floe.get("/status-json.xsl").body();
    assertThat(number(json, "floe_hls_reports")).isZero();
    assertThat(number(json, "floe_hls_reports_refused")).isEqualTo(1);
  }

  @Test
  void thePageCarriesTheStationsSettingsAndOffMeansNotServed() throws Exception {
    assertThat(floe.get("/pl.html").body())
        .contains("data-stun=\"stun:stun.l.google.com:19302 stun:global.stun.twilio.com:3478\"")
        .contains("data-report-ms=\"20000\"");
    floe.close();
    Path m3u = dir.resolve("list.m3u");
    floe = FloeServer.start("server.web-player { enabled = false, tracker = false }\n"
        + "mounts = [ { path = \"/pl\", playlist = \"" + m3u + "\" } ]");
    await().atMost(Duration.ofSeconds(10)).until(() -> floe.mount("/pl").live());
    assertThat(floe.get("/pl.html").statusCode()).isEqualTo(404);
    assertThat(floe.get("/floe-player.js").statusCode()).isEqualTo(404);
    assertThat(floe.get("/announce").statusCode()).isEqualTo(404);
    assertThat(post("/pl.hls/report", "{\"seconds\":1}")).startsWith("HTTP/1.0 404")
        .contains("web player is off");
    assertThat(floe.get("/pl.m3u8").statusCode()).isEqualTo(200); // HLS itself stays
  }

  private String post(String path, String json) throws Exception {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    return post(path, "Content-Length: " + b.length + "\r\nContent-Type: text/plain\r\n", json);
  }

  /** A raw POST: {@code headers} as given, then each body part in its own write. */
  private String post(String path, String headers, String... parts) throws Exception {
    try (Socket s = new Socket("127.0.0.1", floe.port())) {
      s.setSoTimeout(10_000);
      s.setTcpNoDelay(true);
      OutputStream out = s.getOutputStream();
      out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      for (String p : parts) {
        out.write(p.getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
      InputStream in = s.getInputStream();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      for (int n; (n = in.read(buf)) > 0 && got.size() < 65_536; ) {
        got.write(buf, 0, n);
      }
      return got.toString(StandardCharsets.UTF_8);
    }
  }

  private static long number(String json, String key) {
    Matcher m = Pattern.compile("\"" + key + "\":(\\d+)").matcher(json);
    assertThat(m.find()).as(key + " in " + json).isTrue();
    return Long.parseLong(m.group(1));
  }
}
