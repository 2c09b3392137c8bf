package dev.floe.proxy.it.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeServer;
import dev.floe.proxy.it.support.ChromiumPage;
import dev.floe.proxy.it.support.HeadlessChromium;
import dev.floe.proxy.it.support.TestDirs;
import dev.floe.proxy.web.PlayerScript;
import dev.floe.proxy.web.WebPlayerPage;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 18's browser-peer acceptance: real headless Chromiums play Floe's own live HLS through
 * its web player, {@code /live.html}, fed by an ffmpeg source, and share segments over WebRTC
 * (loopback candidates, so nothing leaves the machine) through Floe's tracker on
 * {@code /announce}.
 *
 * <p>Four honest players join one after another and play for {@value #DEFAULT_MINUTES} minutes
 * together ({@code -Dfloe.browser-peers.minutes=N} for longer). Then: the share of segment bytes
 * they fetched from peers since all were playing is at least half; none stalled after it started
 * (a {@code waiting} event, or {@code currentTime} stuck 1.5 s while playing, with under 1 s of
 * audio buffered: the segments came late; the same with more buffered means the browser did not
 * keep up on a busy machine, and is reported, not failed; no {@code stalled} event); and a
 * hostile page, in the same swarm but loading its segments through a proxy of the test's that
 * flips bytes in them, is caught: honest players reject its segments against the playlist's
 * {@code #EXT-X-FLOE-SHA256} and count it as an offender, and every byte they took from peers
 * passed that check (so none of its bytes are played).
 */
class BrowserPeersTest {
  private static final int DEFAULT_MINUTES = 3;
  private static final int HONEST = 4;
  private static final String CONFIG = "server { source-password = \"srcpw\","
      + " sources-create-mounts = true }";
  /** The source's rate: MP3 at 128 kbps. */
  private static final long BYTES_PER_SECOND = 16_000;
  /** currentTime standing still this long while playing is a stall. */
  private static final long FROZEN_MS = 1500;
  private final List<Chromium> browsers = new ArrayList<>();
  private Path dir;

  @AfterEach
  void closeBrowsers() {
    for (Chromium b : browsers) {
      b.close();
    }
  }

  @Test
  void fourPlayersGetMostSegmentsFromEachOtherWithoutStallAndRejectATamperingPeer()
      throws Exception {
    dir = TestDirs.create("browser-peers");
    int minutes = Integer.getInteger("floe.browser-peers.minutes", DEFAULT_MINUTES);
    PlayerScript script = PlayerScript.load();
    assertThat(script).as("floe-player.js built (the web build ran)").isNotNull();
    ExecutorService threads = Executors.newFixedThreadPool(8);
    HttpServer hostile = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    try (FloeServer floe = FloeServer.start(CONFIG);
        FfmpegSource src = FfmpegSource.builder(FfmpegSource.Format.MP3, floe.url("/live"))
            .password("srcpw").workDir(dir).start()) {
      AtomicInteger tampered = new AtomicInteger();
      hostile.createContext("/", ex -> serveHostile(ex, floe, script, tampered));
      hostile.setExecutor(threads);
      hostile.start();
      // The players stay LIVE_DELAY_S (30 s) behind the live edge: let the window hold that.
      await("40 s of HLS").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
          .failFast(() -> !src.isAlive())
          .until(() -> segments(floe.get("/live.m3u8").body()) >= 10);

      List<Chromium> honest = new ArrayList<>();
      for (int i = 0; i < HONEST; i++) {
        Chromium b = open(floe.url("/live.html"));
        honest.add(b);
        b.play();
        if (i == 1) { // the hostile page joins among them
          open("http://127.0.0.1:" + hostile.getAddress().getPort() + "/live.html").play();
        }
        await("player " + i + " playing").atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500)).until(() -> b.state().started());
      }
      List<State> from = new ArrayList<>();
      for (Chromium b : honest) {
        from.add(b.state());
      }
      long end = System.nanoTime() + Duration.ofMinutes(minutes).toNanos();
      // Every 10 s: each player still plays, none stalled (fail at once, not after minutes).
      await("playing together").atMost(Duration.ofMinutes(minutes + 1))
          .pollInterval(Duration.ofSeconds(10)).until(() -> {
            for (int i = 0; i < HONEST; i++) {
              State s = honest.get(i).state();
              assertThat(s.stalls() + s.stalledEvents()).as("player %d stalled: %s", i, s)
                  .isZero();
              assertThat(s.paused()).as("player %d paused: %s", i, s).isFalse();
            }
            return System.nanoTime() >= end;
          });

      long http = 0;
      long p2p = 0;
      long rejected = 0;
      StringBuilder report = new StringBuilder();
      for (int i = 0; i < HONEST; i++) {
        State s = honest.get(i).state();
        State f = from.get(i);
        http += s.http() - f.http();
        p2p += s.p2p() - f.p2p();
        // the counts cover what it played meanwhile (P2P Media Loader saw every segment)
        assertThat(s.http() - f.http() + s.p2p() - f.p2p())
            .as("player %d's segment bytes while playing together: %s", i, s)
            .isGreaterThan((long) (0.8 * BYTES_PER_SECOND * (s.played() - f.played())));
        rejected += s.rejected();
        report.append(String.format(Locale.ROOT, "%n  player %d: %s", i, s));
        assertThat(s.stalls() + s.stalledEvents()).as("player %d stalled: %s", i, s).isZero();
        assertThat(s.played()).as("player %d played: %s", i, s)
            .isGreaterThan(minutes * 60 - 10.0);
        // every byte taken from a peer matched the playlist's SHA-256 before it was played
        assertThat(s.p2p()).as("player %d peer bytes all verified: %s", i, s)
            .isLessThanOrEqualTo(s.verified());
        // one hostile page: a player counts at most it, and each rejection names it
        assertThat(s.offenders()).as("player %d offenders: %s", i, s).isLessThanOrEqualTo(1);
      }
      double share = p2p / (double) (p2p + http);
      String figures = String.format(Locale.ROOT, "browser peers, %d min with %d players: "
          + "%.1f %% of segment bytes from peers (%d of %d), %d tampered segments served by the "
          + "hostile page's proxy, %d rejected by honest players%s", minutes, HONEST,
          100 * share, p2p, p2p + http, tampered.get(), rejected, report);
      System.out.println(figures);
      assertThat(share).as(figures).isGreaterThanOrEqualTo(0.5);
      assertThat(tampered.get()).as("the hostile page fetched tampered segments").isPositive();
      assertThat(rejected).as("tampered segments rejected: " + figures).isPositive();
    } finally {
      hostile.stop(0);
      threads.shutdownNow();
    }
  }

  /**
   * The hostile page's server: Floe's page pointed at Floe's tracker (it joins the same swarm)
   * but at this server's playlist, which is Floe's, hashes and all; its segments are Floe's with
   * bytes flipped, so the hostile player stores and offers tampered segments.
   */
  private static void serveHostile(HttpExchange ex, FloeServer floe, PlayerScript script,
      AtomicInteger tampered) throws java.io.IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      byte[] body;
      String type;
      if (path.equals("/live.html")) {
        body = WebPlayerPage.render("/live", "Hostile", "", "/floe-player.js")
            .replace("data-playlist=\"/live.m3u8\"", "data-playlist=\"/live.m3u8\" data-tracker="
                + "\"ws://127.0.0.1:" + floe.port() + "/announce\"")
            .getBytes(StandardCharsets.UTF_8);
        type = "text/html; charset=utf-8";
      } else if (path.equals("/floe-player.js")) {
        body = script.plain();
        type = "text/javascript";
      } else if (path.equals("/live.m3u8") || path.startsWith("/live.hls/")) {
        HttpResponse<byte[]> r;
        try {
          r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(floe.url(path)))
              .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          ex.sendResponseHeaders(503, -1);
          return;
        }
        body = r.body();
        type = r.headers().firstValue("Content-Type").orElse("application/octet-stream");
        if (r.statusCode() != 200) {
          ex.sendResponseHeaders(r.statusCode(), -1);
          return;
        }
        if (path.startsWith("/live.hls/")) {
          for (int i = body.length / 2; i < body.length; i += 4099) {
            body[i] ^= 0x55; // audio frames' bytes past the ID3 tag: still plays, differently
          }
          tampered.incrementAndGet();
        }
      } else {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      ex.getResponseHeaders().add("Content-Type", type);
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
    }
  }

  private static long segments(String playlist) {
    return playlist.lines().filter(l -> l.startsWith("live.hls/")).count();
  }

  private Chromium open(String url) throws Exception {
    Chromium b = new Chromium(dir, url);
    browsers.add(b);
    return b;
  }

  /**
   * One player's counts: segment bytes over HTTP and from peers, peer bytes verified, segments
   * rejected, offenders; whether it started playing, stalls after that (waiting events and
   * currentTime standing still while not paused, with under 1 s buffered), stalled events,
   * the same stops with audio buffered, seconds played, paused, and notes of each stop.
   */
  record State(long http, long p2p, long verified, long rejected, long offenders,
      boolean started, long stalls, long stalledEvents, long underruns, double played,
      boolean paused, String events) {
    static State parse(String text) {
      String[] f = text.split(" ", 12);
      return new State(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]),
          Long.parseLong(f[3]), Long.parseLong(f[4]), f[5].equals("1"), Long.parseLong(f[6]),
          Long.parseLong(f[7]), Long.parseLong(f[8]), Double.parseDouble(f[9]),
          f[10].equals("1"), f.length > 11 ? f[11] : "");
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "http=%d p2p=%d verified=%d rejected=%d offenders=%d "
          + "started=%s stalls=%d stalled-events=%d underruns-with-audio-buffered=%d "
          + "played=%.1fs paused=%s %s", http, p2p, verified, rejected, offenders, started,
          stalls, stalledEvents, underruns, played, paused, events);
    }
  }

  /** A headless Chromium showing a player page, driven over the DevTools protocol. */
  private static final class Chromium implements AutoCloseable {
    /** Presses play and watches the audio element from then on (window.floeWatch). */
    private static final String PLAY = """
        (() => {
          const a = window.floePlayer.audio;
          const w = window.floeWatch = { start: 0, t0: 0, stalls: 0, stalled: 0, underruns: 0,
            last: -1, moved: 0, frozen: false, events: [] };
          // Seconds of audio buffered from currentTime on, without a gap.
          const ahead = () => {
            for (let i = 0; i < a.buffered.length; i++) {
              if (a.buffered.start(i) <= a.currentTime + 0.1 && a.currentTime < a.buffered.end(i)) {
                return a.buffered.end(i) - a.currentTime;
              }
            }
            return 0;
          };
          // Playback stopping with under 1 s of audio buffered: the segments came too late. With
          // more buffered, the browser did not keep up (the machine was busy): counted apart.
          const stop = (e) => {
            if (ahead() < 1) w.stalls++; else w.underruns++;
            note(e + '@' + a.currentTime.toFixed(1));
          };
          const note = (e) => {
            const b = [];
            for (let i = 0; i < a.buffered.length; i++) {
              b.push(a.buffered.start(i).toFixed(2) + '-' + a.buffered.end(i).toFixed(2));
            }
            if (w.events.length < 20) w.events.push(e + '[' + b.join('/') + ']');
          };
          a.addEventListener('playing', () => {
            if (!w.start) { w.start = performance.now(); w.t0 = a.currentTime; }
          });
          a.addEventListener('waiting', () => { if (w.start) stop('waiting'); });
          a.addEventListener('stalled', () => {
            if (w.start) { w.stalled++; note('stalled@' + a.currentTime.toFixed(1)); }
          });
          setInterval(() => {
            const now = performance.now();
            if (!w.start || a.paused) { w.moved = now; return; }
            if (a.currentTime !== w.last) { w.last = a.currentTime; w.moved = now; w.frozen = false; }
            else if (!w.frozen && now - w.moved > %d) {
              w.frozen = true; stop('frozen');
            }
          }, 250);
          a.play().catch((e) => note('play:' + e.name));
          return 'ok';
        })()""".formatted(FROZEN_MS);
    private static final String STATE = """
        (() => {
          const s = window.floePlayer && window.floePlayer.stats;
          const w = window.floeWatch;
          if (!s || !w) return '0 0 0 0 0 0 0 0 0 0 1 not-ready';
          const a = window.floePlayer.audio;
          return [s.http, s.p2p, s.verified, s.rejected, Object.keys(s.offenders).length,
            w.start ? 1 : 0, w.stalls, w.stalled, w.underruns,
            (w.start ? a.currentTime - w.t0 : 0).toFixed(1), a.paused ? 1 : 0,
            s.mode.replace(/ /g, '_') + ' ' + w.events.join(',')].join(' ');
        })()""";
    private final ChromiumPage devtools;

    Chromium(Path dir, String url) throws Exception {
      devtools = HeadlessChromium.peerPage(dir, url);
    }

    void play() throws Exception {
      await("the player's script ran").atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> devtools.eval("String(!!window.floePlayer)").equals("true"));
      assertThat(devtools.eval(PLAY)).isEqualTo("ok");
    }

    State state() throws Exception {
      return State.parse(devtools.eval(STATE));
    }

    @Override
    public void close() {
      devtools.close();
    }
  }
}
