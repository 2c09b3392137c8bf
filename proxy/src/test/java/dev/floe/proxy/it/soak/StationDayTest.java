package dev.floe.proxy.it.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeProcess;
import dev.floe.proxy.it.support.PlayerBuffer;
import dev.floe.proxy.it.support.RawListener;
import dev.floe.proxy.it.support.TestDirs;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A station's day on {@code floe server} (issue 16), compressed to {@code floe.stationday.minutes}
 * (default 2; hours behind the flag): a real Floe process configured as {@code floe server} is
 * (any mount takes a source) with the Pi's direct memory, the main mount {@code /live} fed by
 * ffmpeg with 6 steady players on it (each a 1 s player buffer model, {@link PlayerBuffer}); a
 * crowd of 150 listeners at a time coming and going on {@code /live} (lifetimes 1-8 s); every 20 s
 * a DJ (ffmpeg) on a mount of its own for 6-10 s with a player joining 1 s after its first byte,
 * every third DJ instead taking over {@code /live} (the main encoder stops, the DJ connects, leaves,
 * the main encoder returns); every 30 s the main encoder is killed (SIGKILL) and restarted after
 * 0.2-5 s; a title with CR, LF, NUL and BEL set every 5 s.
 *
 * <p>Asserts: no steady player ever stalls longer than the source gap it follows (gap: from the
 * source's end to the first byte of the next, measured on {@code floe_bytes_in}); a DJ's player
 * never stalls while its DJ is live; no title a player gets has a control character and no log
 * line is forged; the crowd is served (at least 500 listeners, every one answered 200, none cut);
 * every DJ mount is released and unlisted after its grace, and the buffer budget holds only
 * {@code /live}'s reservation; heap after GC and RSS are flat between the end of the first
 * quarter and the end; no OutOfMemoryError. The figures go to the log and to {@code
 * target/station-day.txt}; docs/reliability.md reports them.
 */
class StationDayTest {
  private static final Logger log = LoggerFactory.getLogger(StationDayTest.class);
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int STEADY = 6;
  private static final long RATE = 16_000;
  private static final long HEAP_TOLERANCE_KIB = 4 * 1024;
  private static final long RSS_TOLERANCE_KIB = 32 * 1024;
  /**
   * A player whose margin a long gap used up plays on at the live edge, where chunks come every
   * half second or so: its silence after a gap may pass the gap by that cadence.
   */
  private static final long CADENCE_MS = 500;
  private static final String TITLE = "Morning\r\nshow\u0000 \u0007";
  private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x1f\\x7f]");
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  private final Random random = new Random(16);

  /** One source gap on /live: from the end of a source to the first byte of the next. */
  record Gap(String what, long fromNanos, long toNanos) {
    long millis() {
      return (toNanos - fromNanos) / 1_000_000;
    }
  }

  @Test
  void aStationSurvivesItsDay() throws Exception {
    Duration run = Duration.ofMinutes(Long.getLong("floe.stationday.minutes", 2));
    Path dir = TestDirs.create("station-day");
    try (FloeProcess floe = FloeProcess.start(dir, """
            server { source-password = "pw", sources-create-mounts = true,
                     limits { max-connections-per-ip = 4096 } }
            mounts = [ { path = "/live" } ]
            """, List.of("-XX:MaxDirectMemorySize=64m"))) {
      FfmpegSource main = source(floe, "/live");
      List<RawListener> steady = new ArrayList<>();
      List<PlayerBuffer> players = new ArrayList<>();
      List<Gap> gaps = new ArrayList<>();
      List<String> djReport = new ArrayList<>();
      List<Long> rss = new ArrayList<>();
      List<Long> heap = new ArrayList<>();
      FfmpegSource dj = null;
      // Steady players join once the buffer holds burst + delay (8 s): full margin.
      awaitBytes(floe, "/live", 10 * RATE);
      try (Crowd crowd = new Crowd(floe.port(), "/live", 150, 1000, 8000, 16)) {
        for (int i = 0; i < STEADY; i++) {
          PlayerBuffer p = PlayerBuffer.oneSecond(RATE);
          players.add(p);
          steady.add(RawListener.builder(floe.port(), "/live").icyMetadata(true).player(p)
              .open());
        }
        long start = System.nanoTime();
        long end = start + run.toNanos();
        long nextTitle = start;
        long nextKill = start + 30_000_000_000L;
        long nextDj = start + 20_000_000_000L;
        long quarter = start + run.toNanos() / 4;
        boolean sampled = false;
        int djs = 0;
        while (System.nanoTime() < end) {
          long now = System.nanoTime();
          if (!sampled && now >= quarter) {
            sample(floe, rss, heap);
            sampled = true;
          }
          if (now >= nextTitle) {
            title(floe, "/live", TITLE + " " + (now - start) / 1_000_000_000L);
            nextTitle = now + 5_000_000_000L;
          }
          if (now >= nextKill) {
            long killed = System.nanoTime();
            main.kill();
            long before = awaitGone(floe, "/live");
            pause(200 + random.nextInt(4800));
            main = source(floe, "/live");
            gaps.add(new Gap("main encoder killed", killed, awaitBytes(floe, "/live", before)));
            nextKill = System.nanoTime() + 30_000_000_000L;
          } else if (now >= nextDj) {
            djs++;
            long onAir = 6000 + random.nextInt(4000);
            if (djs % 3 == 0) { // a takeover of the main mount
              long left = System.nanoTime();
              main.close();
              long before = awaitGone(floe, "/live");
              dj = source(floe, "/live");
              gaps.add(new Gap("takeover: DJ on /live", left, awaitBytes(floe, "/live", before)));
              pause(onAir);
              left = System.nanoTime();
              dj.close();
              dj = null;
              before = awaitGone(floe, "/live");
              main = source(floe, "/live");
              gaps.add(new Gap("takeover over: main back", left,
                  awaitBytes(floe, "/live", before)));
            } else {
              String mount = "/dj-" + djs;
              dj = source(floe, mount);
              awaitBytes(floe, mount, 0);
              pause(1000); // a listener joins one second after the DJ's first byte
              PlayerBuffer p = PlayerBuffer.oneSecond(RATE);
              try (RawListener l = RawListener.builder(floe.port(), mount).player(p).open()) {
                pause(onAir);
                djReport.add(mount + ": " + p.stalls().size() + " stalls, " + l.audioBytes()
                    + " bytes");
                assertThat(p.stalls()).as(mount + " player while its DJ is live: " + p)
                    .isEmpty();
              }
              dj.close();
              dj = null;
            }
            nextDj = System.nanoTime() + 20_000_000_000L;
          }
          pause(100);
        }
        long runEnd = System.nanoTime();
        // After the day: every DJ mount released and unlisted, only /live's buffer reserved.
        await().atMost(WAIT).until(() -> !floe.statusJson().contains("/dj-"));
        long reserved = floe.metric("floe_buffer_reserved_bytes");
        sample(floe, rss, heap);
        String figures = String.format(
            "station day: %d s, %d steady players, %d DJs, %d source gaps on /live (longest %d"
                + " ms), crowd %d listeners (%d answered 200, %d refused, %d cut, %d MiB"
                + " sent), heap after GC %d -> %d KiB, RSS %d -> %d KiB, buffer reserved %d"
                + " KiB%n  gaps: %s%n  DJs: %s%n  steady players' stalls: %s%n  crowd failures: %s",
            (runEnd - start) / 1_000_000_000L, STEADY, djs, gaps.size(),
            gaps.stream().mapToLong(Gap::millis).max().orElse(0), crowd.opened(),
            crowd.answered(), crowd.refused(), crowd.cut(), crowd.bytes() >> 20, heap.get(0),
            heap.get(1), rss.get(0), rss.get(1), reserved / 1024,
            gaps.stream().map(g -> g.what() + " " + g.millis() + " ms").toList(), djReport,
            players.stream().map(p -> p.stalls().stream()
                .map(s -> s.length().toMillis() + " ms").toList()).toList(), crowd.failures());
        log.info(figures);
        Files.writeString(Path.of("target", "station-day.txt"), figures);

        for (int i = 0; i < STEADY; i++) {
          RawListener l = steady.get(i);
          assertThat(l.connected()).as("steady player " + i).isTrue();
          PlayerBuffer p = players.get(i);
          assertThat(p.silenceBetween(0, gaps.isEmpty() ? Long.MAX_VALUE
              : gaps.get(0).fromNanos())).as("steady player %d before any gap\n%s", i, figures)
              .isZero();
          for (int g = 0; g < gaps.size(); g++) {
            Gap gap = gaps.get(g);
            long next = g + 1 < gaps.size() ? gaps.get(g + 1).fromNanos() : Long.MAX_VALUE;
            assertThat(p.silenceBetween(gap.fromNanos(), next).toMillis())
                .as("steady player %d after %s (%d ms)\n%s", i, gap.what(), gap.millis(), figures)
                .isLessThanOrEqualTo(gap.millis() + CADENCE_MS);
          }
          assertThat(l.titles()).as("titles of steady player " + i)
              .anyMatch(t -> t.startsWith("Morning"))
              .noneMatch(t -> CONTROL.matcher(t).find());
        }
        assertThat(crowd.answered()).as(figures).isGreaterThanOrEqualTo(500);
        assertThat(crowd.refused()).as(figures).isZero();
        assertThat(crowd.cut()).as("crowd members closed by Floe early\n" + figures).isZero();
        assertThat(reserved).as("only /live holds a buffer").isEqualTo(4L * 1024 * 1024);
        assertThat(heap.get(1) - heap.get(0)).as("heap after GC growth, KiB\n" + figures)
            .isLessThanOrEqualTo(HEAP_TOLERANCE_KIB);
        assertThat(rss.get(1) - rss.get(0)).as("RSS growth, KiB\n" + figures)
            .isLessThanOrEqualTo(RSS_TOLERANCE_KIB);
        assertThat(floe.isAlive()).isTrue();
        assertThat(floe.log()).doesNotContain("OutOfMemoryError", "out of memory")
            .doesNotContain("\nshow");
      } finally {
        steady.forEach(RawListener::close);
        if (dj != null) {
          dj.close();
        }
        main.close();
      }
    }
  }

  private static FfmpegSource source(FloeProcess floe, String mount) {
    return FfmpegSource.builder(FfmpegSource.Format.MP3, floe.url(mount)).password("pw").start();
  }

  /** Waits until {@code mount}'s source is gone; returns its {@code floe_bytes_in} then. */
  private static long awaitGone(FloeProcess floe, String mount) {
    Pattern live = Pattern.compile("\"floe_mount\":\"" + Pattern.quote(mount)
        + "\"[^{}]*?\"floe_live\":false");
    await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
        .until(() -> live.matcher(floe.statusJson()).find());
    return bytesIn(floe, mount);
  }

  /** Waits until {@code mount}'s {@code floe_bytes_in} passes {@code before}; returns when. */
  private static long awaitBytes(FloeProcess floe, String mount, long before) {
    await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
        .until(() -> bytesIn(floe, mount) > before);
    return System.nanoTime();
  }

  private static long bytesIn(FloeProcess floe, String mount) {
    Matcher m = Pattern.compile("\"floe_mount\":\"" + Pattern.quote(mount)
        + "\"[^{}]*?\"floe_bytes_in\":(\\d+)").matcher(floe.statusJson());
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  private static void title(FloeProcess floe, String mount, String title) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(floe.url(
            "/admin/metadata?mount=" + mount + "&mode=updinfo&song="
                + URLEncoder.encode(title, StandardCharsets.UTF_8))))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
            "source:pw".getBytes(StandardCharsets.UTF_8)))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("updinfo: " + r.body()).isEqualTo(200);
  }

  /** Heap after a full GC and RSS, in KiB. */
  private static void sample(FloeProcess floe, List<Long> rss, List<Long> heap) throws Exception {
    heap.add(ProcStats.of(floe.pid()).heapAfterGcKib());
    rss.add(Files.readAllLines(Path.of("/proc", Long.toString(floe.pid()), "status")).stream()
        .filter(l -> l.startsWith("VmRSS:"))
        .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")))
        .findFirst().orElseThrow());
  }



  /** The schedule's waits (a gap, a show's length): time passing is the point, not a sync. */
  private static void pause(long millis) throws InterruptedException {
    Thread.sleep(millis);
  }
}
