package dev.floe.proxy.it.swarm;

import static dev.floe.proxy.it.support.FloeProcess.awaitOn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.proxy.it.support.AudioRecorder;
import dev.floe.proxy.it.support.Contiguity;
import dev.floe.proxy.it.support.FfmpegPlayer;
import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeProcess;
import dev.floe.proxy.it.support.TestDirs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The acceptance run: 20 Floe processes on loopback (an origin fed by ffmpeg and 19
 * peers, each with an upload cap of 512 kbit/s), with the Raspberry Pi's default JVM flags and
 * staggered starts. Raw listeners on four peers and ffmpeg decoders on two more are checked; for
 * {@code FLOE_SWARM_MINUTES} (3 by default) 20% of the peers (never those with the checked
 * listeners) are killed (SIGKILL) and replaced at the end of every minute, and the run goes on
 * 30 s after the last round. Checked throughout: every listener's connection stays up, every node's
 * continuity stays at or above 0.999 (its status JSON), the origin uploads at most 2.5 times the
 * stream rate per minute (bytes on the wire); at the end every raw listener's audio is one
 * contiguous run of the origin's, the decoders report no error, and the control overhead pooled
 * over the live nodes is at most 2%. Every figure is printed; the assertions come after.
 */
class SwarmChurnTest {
  private static final Logger log = LoggerFactory.getLogger(SwarmChurnTest.class);
  private static final String MOUNT = SwarmNet.MOUNT;
  /** How long a swarm condition may take: partners are found and fed within it. */
  private static final Duration SWARM_WAIT = Duration.ofSeconds(60);
  private static final int PEERS = 19;
  private static final int CHECKED_RAW = 4;
  private static final int CHECKED_DECODERS = 2;
  /** The stream: ffmpeg's MP3 at 128 kbit/s. */
  private static final double STREAM_BYTES_PER_SECOND = 16_000;
  private static final Duration LIVE = Duration.ofSeconds(60);
  private static final String PEER_SWARM = ", upload = 512kbit";

  private final Map<String, Double> minContinuity = new LinkedHashMap<>();
  private final List<String> problems = new ArrayList<>();

  @Test
  void listenersHearOneContiguousStreamWhilePeersComeAndGo() throws Exception {
    int minutes = Integer.parseInt(System.getenv().getOrDefault("FLOE_SWARM_MINUTES", "3"));
    Path dir = TestDirs.create("swarm-churn");
    List<FloeProcess> peers = new ArrayList<>();
    List<AutoCloseable> closeLast = new ArrayList<>();
    try (FloeProcess origin = SwarmNet.origin(dir.resolve("origin"), "")) {
      try (FfmpegSource src = FfmpegSource.builder(FfmpegSource.Format.MP3, origin.url(MOUNT))
          .workDir(dir).start()) {
        origin.awaitLive(LIVE);
        String join = SwarmNet.join(origin, LIVE);
        int limit = (minutes + 3) * 60 * 20_000 + (4 << 20);
        AudioRecorder reference = AudioRecorder.builder(origin.port(), MOUNT).limit(limit).open();
        closeLast.add(reference);
        long started = System.nanoTime();
        for (int i = 0; i < PEERS; i++) {
          // staggered: each peer answers its status before the next JVM starts
          peers.add(SwarmNet.peer(dir.resolve("peer-" + i), join, PEER_SWARM));
        }
        log.info("{} peers started in {} s", PEERS, (System.nanoTime() - started) / 1_000_000_000L);
        int checked = CHECKED_RAW + CHECKED_DECODERS;
        for (int i = 0; i < checked; i++) {
          peers.get(i).awaitLive(LIVE);
        }
        List<AudioRecorder> raw = new ArrayList<>();
        for (int i = 0; i < CHECKED_RAW; i++) {
          AudioRecorder r = AudioRecorder.builder(peers.get(i).port(), MOUNT).limit(limit).open();
          assertThat(r.status()).isEqualTo(200);
          raw.add(r);
          closeLast.add(r);
        }
        List<FfmpegPlayer> decoders = new ArrayList<>();
        Duration playFor = Duration.ofMinutes(minutes).plusSeconds(50);
        for (int i = CHECKED_RAW; i < checked; i++) {
          FfmpegPlayer p = FfmpegPlayer.builder(peers.get(i).url(MOUNT)).maxDuration(playFor)
              .workDir(dir.resolve("player-" + i)).start();
          decoders.add(p);
          closeLast.add(p);
        }

        List<Double> originRates = new ArrayList<>();
        int replaced = 0;
        int churnable = PEERS - checked;
        int perMinute = Math.max(1, Math.round(PEERS * 0.2f));
        for (int minute = 1; minute <= minutes; minute++) {
          originRates.add(observe(origin, peers, raw, "minute " + minute, 60));
          for (int k = 0; k < perMinute; k++) {
            int victim = checked + (replaced % churnable);
            FloeProcess old = peers.get(victim);
            old.kill();
            old.close();
            replaced++;
            peers.set(victim, SwarmNet.peer(dir.resolve("peer-" + victim + "-r" + replaced),
                join, PEER_SWARM));
          }
          log.info("minute {}: replaced {} peers ({} in all)", minute, perMinute, replaced);
        }
        // the last replacements join while the checks go on
        originRates.add(observe(origin, peers, raw, "after the last churn", 30));

        // Figures first, then the checks.
        List<Contiguity.Result> results = new ArrayList<>();
        long refNow = reference.audioBytes();
        awaitOn(List.of(origin), "the reference passes every excerpt", SWARM_WAIT,
            () -> reference.audioBytes() >= refNow + 160 * 1024);
        for (int i = 0; i < raw.size(); i++) {
          AudioRecorder r = raw.get(i);
          byte[] excerpt = r.audio();
          Contiguity.Result c = Contiguity.check(reference.audio(), excerpt);
          results.add(c);
          log.info("raw listener on peer-{}: {} bytes, {}", i, excerpt.length, c.describe());
        }
        for (FfmpegPlayer p : decoders) {
          p.awaitExit(Duration.ofSeconds(60));
          log.info("decoder: {} decoded, {} errors", p.decodedDuration(), p.decodeErrors().size());
        }
        Map<String, Object> o = SwarmNet.swarm(origin);
        log.info("origin swarm at the end: {}", o);
        double overhead = controlOverhead(origin, peers);
        log.info("control overhead over every live node, both ways: {}", String.format(
            Locale.ROOT, "%.4f", overhead));
        log.info("min continuity per node: {}", minContinuity);
        log.info("origin upload per period (x stream rate): {}", originRates.stream()
            .map(r -> fmt(r / STREAM_BYTES_PER_SECOND)).toList());
        log.info("peers replaced: {}", replaced);
        log.info("problems: {}", problems);

        assertThat(problems).as("problems during the run").isEmpty();
        for (int i = 0; i < results.size(); i++) {
          assertThat(results.get(i).contiguous()).as("raw listener on peer-%d: %s\n%s", i,
              results.get(i).describe(), peers.get(i).logTail(4000)).isTrue();
          assertThat(raw.get(i).readError()).isNull();
        }
        for (FfmpegPlayer p : decoders) {
          assertThat(p.decodeErrors()).as(p.stderr()).isEmpty();
          assertThat(p.decodedDuration()).isGreaterThan(Duration.ofMinutes(minutes));
        }
        assertThat(minContinuity).allSatisfy((node, c) -> assertThat(c).as("continuity of %s",
            node).isGreaterThanOrEqualTo(0.999));
        assertThat(originRates).allSatisfy(r -> assertThat(r / STREAM_BYTES_PER_SECOND)
            .as("origin upload over a period, x the stream rate").isLessThanOrEqualTo(2.5));
        assertThat(overhead).as("non-payload bytes over payload bytes").isLessThanOrEqualTo(0.02);
      }
    } finally {
      for (FloeProcess p : peers) {
        p.close();
      }
      for (AutoCloseable c : closeLast) {
        c.close();
      }
    }
  }

  /**
   * Samples every node every 5 s for {@code seconds} and checks the raw listeners' connections;
   * returns the origin's swarm upload rate over the period in bytes per second.
   */
  private double observe(FloeProcess origin, List<FloeProcess> peers, List<AudioRecorder> raw,
      String period, int seconds) {
    // on the wire: payload, framing, signatures, maps and control
    double up0 = SwarmNet.number(SwarmNet.swarm(origin), "wire_bytes_up");
    long t0 = System.nanoTime();
    long end = t0 + seconds * 1_000_000_000L;
    for (int polls = 0; System.nanoTime() < end && polls < seconds / 5 + 1; polls++) {
      long next = Math.min(end, System.nanoTime() + 5_000_000_000L);
      Awaitility.await().atMost(Duration.ofSeconds(6)).until(() -> System.nanoTime() >= next);
      sample(origin, peers);
      for (int i = 0; i < raw.size(); i++) {
        if (!raw.get(i).connected()) {
          problems.add(period + ": raw listener on peer-" + i + " disconnected: "
              + raw.get(i).readError());
        }
      }
    }
    double up1 = SwarmNet.number(SwarmNet.swarm(origin), "wire_bytes_up");
    double rate = (up1 - up0) / ((System.nanoTime() - t0) / 1e9);
    log.info("{}: origin uploads {} B/s = {} x the stream", period, Math.round(rate),
        fmt(rate / STREAM_BYTES_PER_SECOND));
    return rate;
  }

  /**
   * Non-payload bytes over payload bytes, pooled over the nodes alive at the end (the origin
   * included; those that joined in the last round too, with their joins), from their status JSON:
   * wire bytes both ways less payload bytes both ways, over payload bytes both ways.
   */
  private static double controlOverhead(FloeProcess origin, List<FloeProcess> peers) {
    double wire = 0;
    double payload = 0;
    List<FloeProcess> all = new ArrayList<>(peers);
    all.add(origin);
    for (FloeProcess p : all) {
      Map<String, Object> s = SwarmNet.swarm(p);
      wire += SwarmNet.number(s, "wire_bytes_up") + SwarmNet.number(s, "wire_bytes_down");
      payload += SwarmNet.number(s, "bytes_up") + SwarmNet.number(s, "bytes_down");
    }
    assertThat(payload).as("payload carried by the swarm").isPositive();
    return (wire - payload) / payload;
  }

  /** Reads every live node's continuity; a node that does not answer is a problem. */
  private void sample(FloeProcess origin, List<FloeProcess> peers) {
    List<FloeProcess> all = new ArrayList<>(peers);
    all.add(origin);
    for (FloeProcess p : all) {
      String name = p.workDir().getFileName().toString();
      try {
        Map<String, Object> s = SwarmNet.swarm(p);
        if (s == null) {
          problems.add(name + ": no floe_swarm in its status");
          continue;
        }
        double c = SwarmNet.number(s, "continuity");
        minContinuity.merge(name, c, Math::min);
      } catch (RuntimeException | AssertionError e) {
        problems.add(name + ": status unreadable: " + e.getMessage());
      }
    }
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }
}
