package dev.floe.proxy.it.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.proxy.it.support.AudioRecorder;
import dev.floe.proxy.it.support.Contiguity;
import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeProcess;
import dev.floe.proxy.it.support.IcecastServer;
import dev.floe.proxy.it.support.RawListener;
import dev.floe.proxy.it.support.TestDirs;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A station's ordinary day through the swarm (issue 14), real processes only: an origin Floe fed
 * by ffmpeg over PUT (or, in the second run, relaying an icecast2 mount that ffmpeg feeds), a new
 * title every 3 s (through the origin's {@code /admin/metadata}, alternating {@code song} and
 * {@code artist}+{@code title}; in the icecast2 run through icecast2's {@code /admin/metadata},
 * so the titles reach the origin in-band without a StreamUrl), six peers with the Raspberry Pi's
 * JVM flags, the sixth joining after the titles started. Recorders (players with {@code
 * Icy-MetaData: 1}) on the origin and on two peers, and on a third peer that is killed and
 * restarted (its player reconnects at once and must be held, not refused). Then the origin itself
 * is killed and restarted (and its source with it).
 *
 * <p>Asserted: every title change reaches the peers' players at the same audio position as the
 * origin's player (within one metadata interval each, 2 x 2,048 bytes); no peer is in fallback in
 * steady state; the origin's swarm upload (on the wire) stays at or below 2.5 times the stream
 * rate in steady state; no player on a peer stalls (a 1 s buffer model) except across the
 * origin's outage; each peer player's audio before and after the outage is one contiguous run of
 * the origin's; the reconnecting player gets 200 and audio. Figures are printed, then asserted.
 * The steady periods last {@code -Dfloe.swarmday.seconds} (20 by default; about 2 min a run).
 */
class SwarmStationDayTest {
  private static final Logger log = LoggerFactory.getLogger(SwarmStationDayTest.class);
  private static final String MOUNT = SwarmNet.MOUNT;
  private static final int PEERS = 6;
  private static final int METAINT = 2048;
  private static final double RATE = 16_000; // ffmpeg's MP3 at 128 kbit/s, bytes a second
  private static final Duration LIVE = Duration.ofSeconds(60);
  private static final int STEADY = Integer.getInteger("floe.swarmday.seconds", 20);
  /** The nodes' JVM flags: the Pi's ({@code -Dfloe.it.logLevel=DEBUG} for DEBUG logs). */
  private static final List<String> FLAGS = SwarmNet.PI_FLAGS;

  @Test
  void aSourceFedOriginsDay() throws Exception {
    new Day(TestDirs.create("station-day-source"), false).run();
  }

  @Test
  void anIcecastRelayingOriginsDay() throws Exception {
    new Day(TestDirs.create("station-day-icecast"), true).run();
  }

  /** One player: a recorder and its audio byte count sampled every 100 ms. */
  private static final class Player {
    final String name;
    final AudioRecorder recorder;
    final List<long[]> samples = new CopyOnWriteArrayList<>();

    Player(String name, AudioRecorder recorder) {
      this.name = name;
      this.recorder = recorder;
    }

    void sample() {
      samples.add(new long[] {System.nanoTime(), recorder.audioBytes()});
    }

    /**
     * The stalls a player with a 1 s buffer hears, as [start, end] nanos: it starts playing once
     * it holds 1 s of audio, plays at the stream rate, and when it runs dry waits until it holds
     * 1 s again.
     */
    List<long[]> stalls() {
      List<long[]> out = new ArrayList<>();
      double buffered = 0;
      long prevT = -1;
      long prevBytes = 0;
      boolean playing = false;
      long stallStart = -1;
      for (long[] s : samples) {
        if (prevT >= 0) {
          buffered += s[1] - prevBytes;
          if (playing) {
            buffered -= RATE * (s[0] - prevT) / 1e9;
            if (buffered < 0) {
              buffered = 0;
              playing = false;
              stallStart = s[0];
            }
          } else if (buffered >= RATE) {
            playing = true;
            if (stallStart >= 0) {
              out.add(new long[] {stallStart, s[0]});
            }
          }
        } else {
          buffered = s[1];
        }
        prevT = s[0];
        prevBytes = s[1];
      }
      if (!playing && stallStart >= 0) {
        out.add(new long[] {stallStart, prevT});
      }
      return out;
    }
  }

  private static final class Day {
    final Path dir;
    final boolean icecast;
    final List<FloeProcess> peers = new ArrayList<>();
    final List<Player> players = new CopyOnWriteArrayList<>();
    final List<AutoCloseable> closeLast = new ArrayList<>();
    final List<String> problems = new CopyOnWriteArrayList<>();
    final List<Double> originRates = new ArrayList<>();
    final ScheduledExecutorService clock = Executors.newScheduledThreadPool(2);
    final AtomicInteger titleNo = new AtomicInteger();
    IcecastServer ice;
    FfmpegSource source;
    FloeProcess origin;
    String join;

    Day(Path dir, boolean icecast) {
      this.dir = dir;
      this.icecast = icecast;
    }

    String originConfig() {
      Path key = dir.toAbsolutePath().resolve("origin").resolve("origin.key");
      String upstream = icecast ? "upstreams = [\"" + ice.url(MOUNT) + "\"], " : "";
      return "server.hostname = \"127.0.0.1\"\nmount-defaults { metaint = " + METAINT + " }\n"
          + "mounts = [ { path = \"" + MOUNT + "\", " + upstream
          + "swarm { role = origin, key-file = \"" + key + "\" } } ]";
    }

    FloeProcess peer(String name) {
      return FloeProcess.start(dir.resolve(name), "server.hostname = \"127.0.0.1\"\n"
          + "mount-defaults { metaint = " + METAINT + " }\n"
          + "mounts = [ { path = \"" + MOUNT + "\", swarm { role = peer, join = \"" + join
          + "\", upload = 512kbit } } ]", FLAGS);
    }

    void startSource() {
      String to = icecast ? ice.url(MOUNT) : origin.url(MOUNT);
      FfmpegSource.Builder b = FfmpegSource.builder(FfmpegSource.Format.MP3, to)
          .workDir(dir.resolve("source-" + System.nanoTime()));
      if (icecast) {
        b.password(ice.sourcePassword());
      }
      source = b.start();
    }

    Player player(String name, FloeProcess node) {
      AudioRecorder r = AudioRecorder.builder(node.port(), MOUNT).timeout(Duration.ofSeconds(20))
          .limit(24 << 20).open();
      closeLast.add(r);
      Player p = new Player(name, r);
      players.add(p);
      return p;
    }

    /** The next title, through the origin's admin API or icecast2's. */
    void nextTitle() {
      int n = titleNo.incrementAndGet();
      try {
        if (icecast) {
          ice.setMetadata(MOUNT, "Artist " + n + " - Song " + n);
          return;
        }
        String q = n % 2 == 1 ? "song=" + enc("Song " + n)
            : "artist=" + enc("Artist " + n) + "&title=" + enc("Song " + n);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(origin.url("/admin/metadata?mount=" + enc(MOUNT) + "&mode=updinfo&" + q)))
            .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                "admin:hackme".getBytes(StandardCharsets.UTF_8)))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
          problems.add("title " + n + ": " + r.statusCode() + " " + r.body());
        }
      } catch (Exception | AssertionError e) {
        // the origin is down during its outage: the title is lost, as on a real station
        log.info("title {} not set: {}", n, e.toString());
      }
    }

    void run() throws Exception {
      try {
        if (icecast) {
          ice = IcecastServer.start(dir.resolve("icecast"));
          closeLast.add(ice);
          startSource();
          ice.awaitMount(MOUNT, LIVE);
        }
        origin = FloeProcess.start(dir.resolve("origin"), originConfig(), FLAGS);
        if (!icecast) {
          startSource();
        }
        origin.awaitLive(LIVE);
        join = SwarmNet.join(origin, LIVE);
        for (int i = 0; i < PEERS - 1; i++) {
          peers.add(peer("peer-" + i));
        }
        clock.scheduleAtFixedRate(() -> players.forEach(Player::sample), 0, 100,
            TimeUnit.MILLISECONDS);
        Player reference = player("origin", origin);
        clock.scheduleAtFixedRate(this::nextTitle, 0, 3, TimeUnit.SECONDS);
        peers.add(peer("peer-" + (PEERS - 1))); // joins after the titles started
        for (int i = 0; i < 3; i++) {
          peers.get(i).awaitLive(LIVE);
        }
        Player p0 = player("peer-0", peers.get(0));
        Player p1 = player("peer-1", peers.get(1));
        Player p2 = player("peer-2", peers.get(2));
        observe("warm-up", 15, false);
        observe("steady", STEADY, true);

        // a peer is killed and restarted; its player reconnects at once
        FloeProcess victim = peers.get(2);
        victim.kill();
        victim.restart();
        Player p2b = player("peer-2 again", victim);
        log.info("the restarted peer's player: {}", p2b.recorder.listener().statusLine());
        observe("after the peer's restart", 10, true);

        // the origin is killed and restarted, with its source
        long p0AtKill = p0.recorder.audioBytes();
        long p1AtKill = p1.recorder.audioBytes();
        long killedAt = System.nanoTime();
        origin.kill();
        if (!icecast) {
          source.close();
        }
        origin.restart();
        if (!icecast) {
          startSource();
        }
        origin.awaitLive(LIVE);
        long backAt = System.nanoTime();
        Player reference2 = player("origin again", origin);
        awaitAll("the peers take the swarm again", Duration.ofSeconds(60), () -> {
          for (FloeProcess p : peers) {
            Map<String, Object> s = SwarmNet.swarm(p);
            if (s == null || Boolean.TRUE.equals(s.get("fallback"))) {
              return false;
            }
          }
          return true;
        });
        long swarmAgainAt = System.nanoTime();
        observe("settling after the origin's restart", 15, false);
        long p0After = p0.recorder.audioBytes();
        long p1After = p1.recorder.audioBytes();
        observe("after the origin's restart", STEADY, true);
        clock.shutdownNow();

        // ---- figures
        log.info("origin's swarm upload per period, x the stream rate: {}",
            originRates.stream().map(r -> fmt(r / RATE)).toList());
        log.info("origin outage: killed to live {} s, to every peer on the swarm again {} s",
            fmt((backAt - killedAt) / 1e9), fmt((swarmAgainAt - killedAt) / 1e9));
        for (Player p : players) {
          log.info("{}: {} bytes, stalls (s from the kill): {}", p.name, p.recorder.audioBytes(),
              p.stalls().stream().map(s -> fmt((s[0] - killedAt) / 1e9) + ".."
                  + fmt((s[1] - killedAt) / 1e9)).toList());
        }
        Contiguity.Result c0 = Contiguity.check(reference.recorder.audio(),
            Arrays.copyOf(p0.recorder.audio(), (int) p0AtKill));
        Contiguity.Result c1 = Contiguity.check(reference.recorder.audio(),
            Arrays.copyOf(p1.recorder.audio(), (int) p1AtKill));
        byte[] p0Late = tail(p0.recorder.audio(), p0After);
        byte[] p1Late = tail(p1.recorder.audio(), p1After);
        Contiguity.Result c0b = Contiguity.check(reference2.recorder.audio(), p0Late);
        Contiguity.Result c1b = Contiguity.check(reference2.recorder.audio(), p1Late);
        log.info("peer-0 before the outage: {}", c0.describe());
        log.info("peer-1 before the outage: {}", c1.describe());
        log.info("peer-0 after: {}", c0b.describe());
        log.info("peer-1 after: {}", c1b.describe());
        List<String> titleErrors = new ArrayList<>();
        int[] parts = {compareTitles(reference, p0, titleErrors, 0, p0AtKill),
            compareTitles(reference, p1, titleErrors, 0, p1AtKill),
            compareTitles(reference2, p0, titleErrors, p0After, Long.MAX_VALUE),
            compareTitles(reference2, p1, titleErrors, p1After, Long.MAX_VALUE)};
        int checked = Arrays.stream(parts).sum();
        log.info("title changes compared: {}, off: {}; titles set: {}", checked, titleErrors,
            titleNo.get());
        log.info("problems: {}", problems);

        // ---- checks
        assertThat(problems).as("problems during the run").isEmpty();
        assertThat(p2b.recorder.status()).as("the restarted peer's reconnecting player")
            .isEqualTo(200);
        assertThat(p2b.recorder.audioBytes()).as("its audio").isGreaterThan((long) RATE * 5);
        assertThat(originRates).allSatisfy(r -> assertThat(r / RATE)
            .as("origin swarm upload, x the stream rate").isLessThanOrEqualTo(2.5));
        // Contiguity's first match can be the wrong repeat of the test tone (it reports how many
        // places match): the audio is compared byte for byte where the titles align it instead.
        assertThat(Arrays.stream(parts).min().orElse(0)).as("title changes compared before and"
            + " after the outage, per player: %s", Arrays.toString(parts))
            .isGreaterThanOrEqualTo(2);
        assertThat(titleErrors).isEmpty();
        for (Player p : List.of(p0, p1, p2b)) {
          for (long[] s : p.stalls()) {
            boolean acrossOutage = s[1] >= killedAt && s[0] <= swarmAgainAt;
            assertThat(acrossOutage).as("%s stalled %s..%s s from the origin's kill", p.name,
                fmt((s[0] - killedAt) / 1e9), fmt((s[1] - killedAt) / 1e9)).isTrue();
          }
        }
      } finally {
        clock.shutdownNow();
        for (FloeProcess p : peers) {
          p.close();
        }
        if (origin != null) {
          origin.close();
        }
        if (source != null) {
          source.close();
        }
        for (AutoCloseable c : closeLast) {
          c.close();
        }
      }
    }

    /**
     * Each title change {@code peer} heard in its audio [from, to) against where {@code ref}
     * heard it; returns how many were compared. The test tone repeats every several seconds, so
     * the audio alone can be aligned at more than one place: the first title common to both fixes
     * the alignment (to within a metaint), the audio must then equal the reference's byte for byte
     * at the exact offset near it, and every later title must fall within two metaints of the
     * reference's.
     */
    int compareTitles(Player ref, Player peer, List<String> errors, long from, long to) {
      byte[] refAudio = ref.recorder.audio();
      byte[] mine = peer.recorder.audio();
      byte[] excerpt = Arrays.copyOfRange(mine, (int) Math.min(from, mine.length),
          (int) Math.min(to, mine.length));
      List<RawListener.TitleAt> refTitles = ref.recorder.listener().titleChanges();
      List<RawListener.TitleAt> heard = peer.recorder.listener().titleChanges();
      long offset = Long.MIN_VALUE;
      int n = 0;
      for (int i = 1; i < heard.size(); i++) { // the first is the title in force at connect
        RawListener.TitleAt t = heard.get(i);
        if (t.audioOffset() < from + 4 * METAINT || t.audioOffset() >= to) {
          continue;
        }
        RawListener.TitleAt onRef = null;
        for (int k = 1; k < refTitles.size(); k++) {
          if (refTitles.get(k).title().equals(t.title())) {
            onRef = refTitles.get(k);
          }
        }
        if (onRef == null) {
          continue; // the reference connected after it
        }
        if (offset == Long.MIN_VALUE) {
          offset = exactNear(refAudio, excerpt, onRef.audioOffset() - (t.audioOffset() - from));
          if (offset < 0) {
            errors.add(peer.name + ": its audio is not the origin's near '" + t.title() + "'");
            return n;
          }
          int len = (int) Math.min(excerpt.length, refAudio.length - offset);
          if (!Arrays.equals(excerpt, 0, len, refAudio, (int) offset, (int) offset + len)) {
            errors.add(peer.name + ": audio differs from the origin's after '" + t.title()
                + "'");
          }
        }
        n++;
        long at = offset + (t.audioOffset() - from);
        if (Math.abs(onRef.audioOffset() - at) > 2L * METAINT) {
          errors.add(peer.name + ": '" + t.title() + "' at " + at + ", on the origin at "
              + onRef.audioOffset());
        }
      }
      return n;
    }

    /** The offset within two metaints of {@code approx} where {@code excerpt} starts in {@code ref}. */
    long exactNear(byte[] ref, byte[] excerpt, long approx) {
      int key = Math.min(4096, excerpt.length);
      for (long d = 0; d <= 2L * METAINT; d++) {
        for (long o : new long[] {approx - d, approx + d}) {
          if (o >= 0 && o + key <= ref.length
              && Arrays.equals(excerpt, 0, key, ref, (int) o, (int) o + key)) {
            return o;
          }
        }
      }
      return -1;
    }

    /**
     * Samples every node every 5 s for {@code seconds}: peers in fallback (a problem when
     * {@code steady}) and the origin's swarm upload rate (kept when {@code steady}).
     */
    void observe(String period, int seconds, boolean steady) {
      double up0 = SwarmNet.number(SwarmNet.swarm(origin), "wire_bytes_up");
      long t0 = System.nanoTime();
      long end = t0 + seconds * 1_000_000_000L;
      for (int polls = 0; System.nanoTime() < end && polls < seconds / 5 + 1; polls++) {
        long next = Math.min(end, System.nanoTime() + 5_000_000_000L);
        Awaitility.await().atMost(Duration.ofSeconds(6)).until(() -> System.nanoTime() >= next);
        for (FloeProcess p : peers) {
          try {
            Map<String, Object> s = SwarmNet.swarm(p);
            if (steady && Boolean.TRUE.equals(s.get("fallback"))) {
              problems.add(period + ": " + p.workDir().getFileName() + " in fallback");
            }
            if (steady && SwarmNet.number(s, "errors") > 0) {
              problems.add(period + ": " + p.workDir().getFileName() + " errors: "
                  + s.get("last_error"));
            }
          } catch (RuntimeException | AssertionError e) {
            problems.add(period + ": " + p.workDir().getFileName() + " status unreadable: "
                + e.getMessage());
          }
        }
      }
      Map<String, Object> o = SwarmNet.swarm(origin);
      if (SwarmNet.number(o, "errors") > 0) {
        problems.add(period + ": origin errors: " + o.get("last_error"));
      }
      double rate = (SwarmNet.number(o, "wire_bytes_up") - up0)
          / ((System.nanoTime() - t0) / 1e9);
      log.info("{}: origin uploads {} x the stream", period, fmt(rate / RATE));
      if (steady) {
        originRates.add(rate);
      }
    }

    void awaitAll(String what, Duration timeout, java.util.concurrent.Callable<Boolean> until) {
      List<FloeProcess> all = new ArrayList<>(peers);
      all.add(origin);
      try {
        Awaitility.await(what).atMost(timeout).ignoreExceptions()
            .pollInterval(Duration.ofMillis(500)).until(until);
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        StringBuilder logs = new StringBuilder();
        for (FloeProcess p : all) {
          logs.append("\n--- ").append(p).append(" ---\n").append(p.logTail(3000));
        }
        throw new AssertionError(what + logs, e);
      }
    }
  }

  private static byte[] tail(byte[] audio, long from) {
    return Arrays.copyOfRange(audio, (int) Math.min(from, audio.length), audio.length);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
