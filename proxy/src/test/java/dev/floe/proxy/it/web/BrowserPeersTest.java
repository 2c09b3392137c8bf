package dev.floe.proxy.it.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.floe.proxy.it.support.FloeServer;
import dev.floe.proxy.it.support.HeadlessChromium;
import dev.floe.proxy.it.support.TestDirs;
import dev.floe.proxy.it.support.Tools;
import dev.floe.proxy.web.PlayerScript;
import dev.floe.proxy.web.WebPlayerPage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Real browsers sharing segments through Floe's tracker: headless Chromiums (WebRTC on loopback)
 * play the web player's script against an HLS stream made by ffmpeg, whose playlist carries each
 * segment's {@code #EXT-X-FLOE-SHA256}. Two honest players get segments from each other, all
 * verified; a hostile page whose segments are tampered is caught by the honest player's check,
 * counted as an offender, and none of its bytes count as played.
 *
 * <p>Until Floe serves {@code /<mount>.m3u8} itself (issue 18's HLS part), the page, script and
 * stream come from a small static server of the test's; the tracker is Floe's.
 *
 * <p>Runs only with {@code -Dfloe.browser-peers=true}: on a stream that is whole from the start
 * (this VOD playlist), P2P Media Loader sometimes fetches every segment over HTTP before its peer
 * connection is up, so about one run in four offers no tampered segment within three players.
 * On Floe's live playlist, where segments appear every few seconds, that race goes away; the
 * acceptance test of issue 18 (4+ players, several minutes) should be built from this one then.
 */
@EnabledIfSystemProperty(named = "floe.browser-peers", matches = "true")
class BrowserPeersTest {
  private static final Duration WITHIN = Duration.ofSeconds(60);
  private static Path dir;
  private static FloeServer floe;
  private static HttpServer web;
  private static java.util.concurrent.ExecutorService webThreads;
  /** Fields of {@link Browser#stats}. */
  private static final int PEER_BYTES = 1;
  private static final int REJECTED = 2;
  private final List<Browser> browsers = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    dir = TestDirs.create("browser-peers");
    Process ff = new ProcessBuilder(Tools.ffmpeg().toString(), "-v", "error", "-y", "-f",
        "lavfi", "-i", "sine=frequency=440:duration=24", "-c:a", "aac", "-b:a", "64k", "-f",
        "hls", "-hls_time", "4", "-hls_list_size", "0", "-hls_segment_filename",
        dir.resolve("seg%d.ts").toString(), dir.resolve("raw.m3u8").toString())
        .redirectErrorStream(true).start();
    assertThat(ff.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(ff.exitValue()).as(new String(ff.getInputStream().readAllBytes())).isZero();
    playlist("live.m3u8", "", false);
    playlist("evil.m3u8", "evil-", true);
    floe = FloeServer.start("");
    PlayerScript script = PlayerScript.load();
    assertThat(script).as("floe-player.js built").isNotNull();
    web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    web.createContext("/", ex -> {
      String path = ex.getRequestURI().getPath();
      byte[] body;
      String type;
      if (path.endsWith(".html")) {
        body = page(path.equals("/evil.html") ? "/evil.m3u8" : "/live.m3u8")
            .getBytes(StandardCharsets.UTF_8);
        type = "text/html; charset=utf-8";
      } else if (path.equals("/floe-player.js")) {
        body = script.plain();
        type = "text/javascript";
      } else if (path.matches("/[a-z0-9-]+\\.(m3u8|ts)") && Files.exists(dir.resolve(path.substring(1)))) {
        body = Files.readAllBytes(dir.resolve(path.substring(1)));
        type = path.endsWith(".ts") ? "video/mp2t" : "application/vnd.apple.mpegurl";
      } else {
        ex.sendResponseHeaders(404, -1);
        ex.close();
        return;
      }
      if (path.startsWith("/seg")) {
        // The origin's segments come slowly, as over a poor link, so that a player's peer
        // connection is up before it has fetched everything itself (P2P Media Loader asks peers
        // only for segments past its first seconds); the hostile peer's come at once.
        try {
          Thread.sleep(700);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      ex.getResponseHeaders().add("Content-Type", type);
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    webThreads = java.util.concurrent.Executors.newFixedThreadPool(8);
    web.setExecutor(webThreads);
    web.start();
  }

  @AfterAll
  static void stop() {
    if (web != null) {
      web.stop(0);
      webThreads.shutdownNow();
    }
    if (floe != null) {
      floe.close();
    }
  }

  @AfterEach
  void closeBrowsers() {
    for (Browser b : browsers) {
      b.close();
    }
  }

  @Test
  void twoPlayersShareVerifiedSegments() throws Exception {
    Browser a = open("/live.html");
    settled(a); // a has what it buffers, over HTTP
    // As below: a player may fetch all over HTTP before its peer connection is up; up to 3 join.
    long shared = 0;
    for (int attempt = 0; attempt < 3 && shared == 0; attempt++) {
      Browser b = open("/live.html");
      settledOr(b, PEER_BYTES);
      shared = a.stats()[1] + b.stats()[1];
      assertThat(a.stats()[2] + b.stats()[2]).as("segments rejected").isZero();
    }
    assertThat(shared).as("bytes players got from each other").isPositive();
  }

  @Test
  void aHostilePeersTamperedSegmentsAreRejectedAndNotPlayed() throws Exception {
    Browser evil = open("/evil.html");
    settled(evil); // its tampered segments, over HTTP
    // P2P Media Loader may fetch everything over HTTP before the peer connection is up, and then
    // asks the peer nothing: up to 3 honest players join, until one has been offered a tampered
    // segment, each alone with the hostile peer. None may accept a peer byte.
    long rejected = 0;
    for (int attempt = 0; attempt < 3 && rejected == 0; attempt++) {
      Browser honest = open("/live.html");
      settledOr(honest, REJECTED);
      long[] s = honest.stats();
      assertThat(s[1]).as("bytes accepted from the hostile peer").isZero();
      assertThat(s[3]).as("offenders counted").isEqualTo(s[2] > 0 ? 1 : 0);
      rejected += s[2];
      honest.close(); // the next one meets the hostile peer alone
      browsers.remove(honest);
    }
    assertThat(rejected).as("tampered segments rejected").isPositive();
  }

  /** Waits until the browser's count {@code field} (if any) is positive, or it loads no more. */
  private static void settledOr(Browser b, int field) {
    java.util.concurrent.atomic.AtomicLong last = new java.util.concurrent.atomic.AtomicLong(-1);
    await().atMost(WITHIN).pollInterval(Duration.ofSeconds(2)).until(() -> {
      long[] now = b.stats();
      return (field >= 0 && now[field] > 0)
          || (now[0] > 0 && now[0] == last.getAndSet(now[0]));
    });
  }

  /** Waits until the browser has loaded segments and loads no more (it buffered what it wants). */
  private static void settled(Browser b) {
    settledOr(b, -1);
  }

  /** The playlist with each segment's SHA-256; {@code tamper} writes altered copies first. */
  private static void playlist(String name, String prefix, boolean tamper) throws Exception {
    StringBuilder out = new StringBuilder();
    for (String line : Files.readAllLines(dir.resolve("raw.m3u8"))) {
      if (line.endsWith(".ts")) {
        byte[] b = Files.readAllBytes(dir.resolve(line));
        if (tamper) {
          for (int i = 200; i < b.length; i += 997) {
            b[i] ^= 0x55;
          }
          Files.write(dir.resolve(prefix + line), b);
        }
        out.append("#EXT-X-FLOE-SHA256:").append(HexFormat.of().formatHex(
            MessageDigest.getInstance("SHA-256").digest(b))).append('\n');
        line = prefix + line;
      }
      out.append(line).append('\n');
    }
    Files.writeString(dir.resolve(name), out);
  }

  /** Floe's page for mount /live, pointed at this playlist and Floe's tracker, without STUN. */
  private static String page(String playlist) {
    return WebPlayerPage.render("/live", "Test Radio", "Test", "/floe-player.js")
        .replace("data-playlist=\"/live.m3u8\"", "data-playlist=\"" + playlist
            + "\" data-tracker=\"ws://127.0.0.1:" + floe.port() + "/announce\" data-stun=\"\"");
  }

  private Browser open(String path) throws Exception {
    Browser b = new Browser("http://127.0.0.1:" + web.getAddress().getPort() + path);
    browsers.add(b);
    return b;
  }

  /** One headless Chromium showing a page, read through the DevTools protocol. */
  private static final class Browser implements WebSocket.Listener {
    private final Process process;
    private final WebSocket devtools;
    private final StringBuilder partial = new StringBuilder();
    private volatile CompletableFuture<String> reply = new CompletableFuture<>();
    private int id;

    Browser(String url) throws Exception {
      Path profile = Files.createTempDirectory(dir, "chromium-profile");
      List<String> cmd = HeadlessChromium.command(profile);
      // WebRTC between browsers on this machine: loopback candidates, real addresses (no mDNS)
      cmd.addAll(List.of("--autoplay-policy=no-user-gesture-required",
          "--allow-loopback-in-peer-connection", "--disable-features=WebRtcHideLocalIpsWithMdns",
          "--remote-debugging-port=0", url));
      process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(profile.getFileName() + ".log")
              .toFile()).start();
      Path portFile = profile.resolve("DevToolsActivePort");
      await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(portFile)
          && !Files.readString(portFile).isBlank());
      int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
      HttpClient http = HttpClient.newHttpClient();
      String ws = await().atMost(Duration.ofSeconds(30)).until(() -> {
        String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
            + "/json")).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("\"type\":\\s*\"page\"[^}]*?\"webSocketDebuggerUrl\":\\s*"
            + "\"([^\"]+)\"|\"webSocketDebuggerUrl\":\\s*\"(ws://[^\"]+/page/[^\"]+)\"")
            .matcher(list);
        return m.find() ? (m.group(1) != null ? m.group(1) : m.group(2)) : null;
      }, s -> s != null);
      devtools = http.newWebSocketBuilder().buildAsync(URI.create(ws), this)
          .get(10, TimeUnit.SECONDS);
    }

    /** HTTP bytes, peer bytes, segments rejected, offenders: the player's own counts. */
    synchronized long[] stats() throws Exception {
      reply = new CompletableFuture<>();
      devtools.sendText("{\"id\":" + (++id) + ",\"method\":\"Runtime.evaluate\",\"params\":"
          + "{\"expression\":\"(s => s ? [s.http, s.p2p, s.rejected, "
          + "Object.keys(s.offenders).length].join(' ') : '0 0 0 0')"
          + "(window.floePlayer && window.floePlayer.stats)\",\"returnByValue\":true}}", true)
          .get(5, TimeUnit.SECONDS);
      String r = reply.get(10, TimeUnit.SECONDS);
      Matcher m = Pattern.compile("\"value\":\"(\\d+) (\\d+) (\\d+) (\\d+)\"").matcher(r);
      assertThat(m.find()).as(r).isTrue();
      return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
          Long.parseLong(m.group(3)), Long.parseLong(m.group(4))};
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        if (text.startsWith("{\"id\":")) {
          reply.complete(text);
        }
      }
      ws.request(1);
      return null;
    }

    void close() {
      devtools.abort();
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
