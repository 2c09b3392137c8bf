package dev.floe.proxy.it.soak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.proxy.it.support.AudioRecorder;
import dev.floe.proxy.it.support.Contiguity;
import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeProcess;
import dev.floe.proxy.it.support.IcecastServer;
import dev.floe.proxy.it.support.RawListener;
import dev.floe.proxy.it.support.TestDirs;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole topology as real processes, for {@code floe.soak.minutes} (default 4): an ffmpeg MP3
 * source &rarr; icecast2 &rarr; Floe relay A (Netty's leak detector in paranoid mode) &rarr; Floe
 * relay B (resume protocol: A is a Floe upstream). 25 steady players on each relay record every
 * audio byte; meanwhile players churn, bad clients of several kinds connect, and the source is
 * killed (SIGKILL) and replaced twice.
 *
 * <p>Checks: no steady player is disconnected; each one's audio is one contiguous excerpt of a
 * reference recording on A; every stuck reader is dropped ({@code floe_slow_listeners_dropped})
 * and no one else; the leak detector reports nothing; heap after a full GC, threads and file
 * descriptors of A and B are flat between a sample after the warm-up and one at the end (both
 * taken at a quiet moment: no churn or bad client in flight).
 */
class SoakTest {
  private static final Logger log = LoggerFactory.getLogger(SoakTest.class);
  private static final String MOUNT = "/live";
  private static final Duration LIVE = Duration.ofSeconds(30);
  private static final int STEADY_PER_RELAY = 25;
  private static final Duration WARM_UP = Duration.ofSeconds(60);
  /** Stuck readers need about 40 s to pass max-lag (512 KiB at 16 KB/s, plus buffers). */
  private static final Duration STUCK_DRAIN = Duration.ofSeconds(100);
  private static final Duration HEADER_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(3);
  /** Heap after GC may grow by this much: see docs/reliability.md (soak test). */
  private static final long HEAP_TOLERANCE_KIB = 2 * 1024;
  private static final int THREAD_TOLERANCE = 3;
  private static final int FD_TOLERANCE = 2;
  private static final String SERVER = "server { header-timeout = " + HEADER_TIMEOUT.toSeconds()
      + "s, idle-timeout = " + IDLE_TIMEOUT.toSeconds() + "s\n"
      // every test client comes from 127.0.0.1: 50 steady + churn + bad clients
      + "  limits { max-connections-per-ip = 512 } }\n";

  private final Random random = new Random(7);
  private final Map<String, Integer> bad = new LinkedHashMap<>();
  private final Map<String, Integer> faults = new LinkedHashMap<>();
  private final List<Pending> pending = new ArrayList<>();
  private final List<Socket> stuck = new ArrayList<>();
  private int churned;

  /** A bad client waiting for Floe's answer: a 408, or a close without a word. */
  private record Pending(Socket socket, long openedNanos, String expect) {}

  @Test
  void relaysHoldUnderChurnBadClientsAndSourceKills() throws Exception {
    Duration run = Duration.ofMinutes(Long.getLong("floe.soak.minutes", 4));
    Path dir = TestDirs.create("soak");
    IcecastServer ice = IcecastServer.start(dir.resolve("ice"));
    FfmpegSource src = null;
    List<AudioRecorder> steady = new ArrayList<>();
    List<RawListener> churn = new ArrayList<>();
    try (ice) {
      src = source(ice, dir);
      try (FloeProcess a = FloeProcess.start(dir.resolve("A"), SERVER + mount(ice.url(MOUNT)),
              List.of("-Dio.netty.leakDetection.level=paranoid"));
          FloeProcess b = FloeProcess.start(dir.resolve("B"), SERVER + mount(a.url(MOUNT)),
              List.of())) {
        a.awaitLive(LIVE);
        b.awaitLive(LIVE);
        assertThat(ProcStats.jcmd(a.pid(), "VM.command_line"))
            .contains("-Dio.netty.leakDetection.level=paranoid");
        long minutes = Math.max(1, run.toMinutes());
        int refLimit = (int) Math.min(Integer.MAX_VALUE - 8, (minutes + 5) * 1_100_000L);
        try (AudioRecorder reference = AudioRecorder.builder(a.port(), MOUNT).limit(refLimit)
            .open()) {
          for (int i = 0; i < STEADY_PER_RELAY; i++) {
            steady.add(AudioRecorder.open(a.port(), MOUNT));
            steady.add(AudioRecorder.open(b.port(), MOUNT));
          }
          assertThat(steady).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));

          long start = System.nanoTime();
          long end = start + run.toNanos();
          long warmEnd = start + WARM_UP.toNanos();
          long stuckEnd = end - STUCK_DRAIN.toNanos();
          long[] killAt = {start + run.toNanos() / 3, start + 2 * run.toNanos() / 3};
          int kills = 0;
          ProcStats warmA = null;
          ProcStats warmB = null;
          int iteration = 0;
          while (System.nanoTime() < end && iteration < 1_000_000) {
            iteration++;
            if (warmA == null && System.nanoTime() >= warmEnd) {
              quiesce(churn);
              warmA = ProcStats.of(a.pid());
              warmB = ProcStats.of(b.pid());
              log.info("after warm-up: A {} B {}", warmA, warmB);
            }
            if (kills < killAt.length && System.nanoTime() >= killAt[kills]) {
              ProcessHandle.of(src.pid()).ifPresent(ProcessHandle::destroyForcibly);
              src.close();
              faults.merge("source killed (SIGKILL) and replaced", 1, Integer::sum);
              src = source(ice, dir);
              kills++;
            }
            churn(churn, iteration % 2 == 0 ? a : b);
            badClient(iteration, iteration % 3 == 0 ? b : a,
                warmA != null && System.nanoTime() < stuckEnd);
            collect(false);
            if (iteration % 20 == 0) {
              assertSteady(steady, a, b);
            }
            pause(Duration.ofMillis(500));
          }

          quiesce(churn);
          int stuckCount = stuck.size();
          FloeProcess.awaitOn(List.of(a, b), "every stuck reader dropped", () ->
              a.statusNumber("floe_slow_listeners_dropped")
                  + b.statusNumber("floe_slow_listeners_dropped") >= stuckCount);
          for (Socket s : stuck) {
            s.close();
          }
          ProcStats endA = ProcStats.of(a.pid());
          ProcStats endB = ProcStats.of(b.pid());
          log.info("at the end: A {} B {}", endA, endB);
          assertSteady(steady, a, b);

          // What was lost: compare every steady player with the reference on A.
          List<byte[]> heard = new ArrayList<>();
          for (AudioRecorder r : steady) {
            heard.add(r.audio());
            r.close();
          }
          long refNow = reference.audioBytes();
          FloeProcess.awaitOn(List.of(a, b), "reference passes the players' end",
              () -> reference.audioBytes() >= refNow + 64 * 1024);
          assertThat(reference.full()).isFalse();
          byte[] ref = reference.audio();
          long heardBytes = 0;
          for (int i = 0; i < heard.size(); i++) {
            Contiguity.Result r = Contiguity.check(ref, heard.get(i));
            assertThat(r.contiguous()).as("steady player %d on %s: %s", i,
                i % 2 == 0 ? "A" : "B", r.describe()).isTrue();
            heardBytes += heard.get(i).length;
          }

          long droppedA = a.statusNumber("floe_slow_listeners_dropped");
          long droppedB = b.statusNumber("floe_slow_listeners_dropped");
          log.info("soak {} min: {} steady players heard {} audio bytes, all contiguous;"
              + " bad clients {}; faults {}; churned {}; slow listeners dropped A {} B {};"
              + " gaps A {} B {}", run.toMinutes(), steady.size(), heardBytes, bad, faults,
              churned, droppedA, droppedB, a.statusNumber("floe_gaps"),
              b.statusNumber("floe_gaps"));
          assertThat(droppedA + droppedB).as("only the stuck readers were dropped")
              .isEqualTo(stuckCount);
          for (FloeProcess f : List.of(a, b)) {
            assertThat(f.log()).as("Netty leak reports in %s", f).doesNotContain("LEAK:");
          }
          assertFlat("A", warmA, endA);
          assertFlat("B", warmB, endB);
        }
      }
    } finally {
      churn.forEach(RawListener::close);
      steady.forEach(AudioRecorder::close);
      for (Pending p : pending) {
        p.socket().close();
      }
      for (Socket s : stuck) {
        s.close();
      }
      if (src != null) {
        src.close();
      }
    }
  }

  private static String mount(String upstream) {
    return "mounts = [ { path = \"" + MOUNT + "\", upstreams = [\"" + upstream + "\"] } ]";
  }

  private static FfmpegSource source(IcecastServer ice, Path dir) {
    FfmpegSource s = FfmpegSource.builder(FfmpegSource.Format.MP3, ice.url(MOUNT)).workDir(dir)
        .start();
    ice.awaitMount(MOUNT, LIVE);
    return s;
  }

  private static void pause(Duration d) {
    Awaitility.await().pollDelay(d).atMost(d.plusSeconds(1)).until(() -> true);
  }

  private static void assertSteady(List<AudioRecorder> steady, FloeProcess a, FloeProcess b) {
    for (int i = 0; i < steady.size(); i++) {
      AudioRecorder r = steady.get(i);
      assertThat(r.connected()).as("steady player %d on %s connected (read error %s)\n%s", i,
          i % 2 == 0 ? "A" : "B", r.readError(), (i % 2 == 0 ? a : b).logTail(3000)).isTrue();
    }
  }

  /** Two churning players: the previous ones leave, new ones join and get 200. */
  private void churn(List<RawListener> churn, FloeProcess relay) {
    if (churn.size() >= 4) {
      churn.remove(0).close();
      churn.remove(0).close();
    }
    for (int i = 0; i < 2; i++) {
      RawListener l = RawListener.builder(relay.port(), MOUNT).icyMetadata(i == 0).open();
      assertThat(l.status()).isEqualTo(200);
      churn.add(l);
      churned++;
    }
  }

  /** Stops churn, waits for pending bad clients to be answered: a quiet moment to sample. */
  private void quiesce(List<RawListener> churn) throws IOException {
    churn.forEach(RawListener::close);
    churn.clear();
    collect(true);
    pause(Duration.ofSeconds(2)); // let Floe notice the closes
  }

  /** One bad client, of a kind chosen by the iteration. */
  private void badClient(int iteration, FloeProcess relay, boolean stuckAllowed)
      throws IOException {
    switch (iteration % 7) {
      case 0 -> { // random bytes ending like a head
        byte[] junk = new byte[64 + random.nextInt(1024)];
        random.nextBytes(junk);
        String answer = exchange(relay, "127.0.0.1", junk, "\r\n\r\n");
        assertThat(status(answer)).as(answer).isBetween(400, 499);
        bad.merge("garbage head", 1, Integer::sum);
      }
      case 1 -> { // one header line longer than max-line-bytes (8 KiB)
        String answer = exchange(relay, "127.0.0.1", new byte[0],
            "GET /live HTTP/1.0\r\nX-Big: " + "a".repeat(9000) + "\r\n\r\n");
        if (!answer.isEmpty()) { // a reset may swallow the answer; it must not be a 200
          assertThat(status(answer)).as(answer).isIn(400, 414, 431);
        }
        bad.merge("oversized head", 1, Integer::sum);
      }
      case 2 -> { // slowloris: half a head, never finished
        Socket s = connect(relay, "127.0.0.1");
        s.getOutputStream().write("GET /live HTTP/1.0\r\nX-Slow: a".getBytes(
            StandardCharsets.US_ASCII));
        pending.add(new Pending(s, System.nanoTime(), "HTTP/1.0 408"));
        bad.merge("slowloris (incomplete head)", 1, Integer::sum);
      }
      case 3 -> { // connects and says nothing
        pending.add(new Pending(connect(relay, "127.0.0.1"), System.nanoTime(), ""));
        bad.merge("silent connection", 1, Integer::sum);
      }
      case 4 -> { // wrong admin password from another address: 401, then 429 when locked
        String answer = exchange(relay, "127.0.0.3", new byte[0],
            "GET /admin/stats HTTP/1.0\r\nAuthorization: Basic "
                + Base64.getEncoder().encodeToString("admin:guess".getBytes(
                    StandardCharsets.UTF_8)) + "\r\n\r\n");
        assertThat(status(answer)).as(answer).isIn(401, 429);
        bad.merge("admin password guess", 1, Integer::sum);
      }
      case 5 -> { // a reader that never reads, when there is time for it to be dropped
        if (stuckAllowed) {
          Socket s = new Socket();
          s.setReceiveBufferSize(2048);
          s.connect(new InetSocketAddress("127.0.0.1", relay.port()), 5000);
          s.getOutputStream().write("GET /live HTTP/1.0\r\n\r\n".getBytes(
              StandardCharsets.US_ASCII));
          stuck.add(s);
          bad.merge("stuck reader", 1, Integer::sum);
        }
      }
      default -> { // request smuggling-style junk: a bad method and a body on a GET
        String answer = exchange(relay, "127.0.0.1", new byte[0],
            "BREW /live HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello");
        assertThat(status(answer)).as(answer).isBetween(400, 499);
        bad.merge("unsupported method", 1, Integer::sum);
      }
    }
  }

  /** Checks pending bad clients whose timeout has passed (all of them when {@code all}). */
  private void collect(boolean all) throws IOException {
    long now = System.nanoTime();
    for (int i = pending.size() - 1; i >= 0; i--) {
      Pending p = pending.get(i);
      boolean slow = !p.expect().isEmpty();
      long due = (slow ? HEADER_TIMEOUT : IDLE_TIMEOUT).toNanos() + 2_000_000_000L;
      if (all || now - p.openedNanos() >= due) {
        p.socket().setSoTimeout((int) Duration.ofNanos(Math.max(0, p.openedNanos() + due - now))
            .plusSeconds(5).toMillis());
        String answer = new String(p.socket().getInputStream().readNBytes(4096),
            StandardCharsets.ISO_8859_1);
        long ms = (System.nanoTime() - p.openedNanos()) / 1_000_000;
        if (slow) {
          assertThat(answer).as("slowloris after %d ms", ms).startsWith(p.expect());
        } else {
          assertThat(answer).as("silent connection after %d ms", ms).isEmpty();
        }
        p.socket().close();
        pending.remove(i);
      }
    }
  }

  private static Socket connect(FloeProcess relay, String fromIp) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(fromIp, 0));
    s.connect(new InetSocketAddress("127.0.0.1", relay.port()), 5000);
    return s;
  }

  /** Sends bytes then text, reads until Floe closes (bounded: 10 s, 64 KiB). */
  private static String exchange(FloeProcess relay, String fromIp, byte[] bytes, String text)
      throws IOException {
    try (Socket s = connect(relay, fromIp)) {
      s.setSoTimeout(10_000);
      try {
        s.getOutputStream().write(bytes);
        s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
      } catch (IOException e) {
        // Floe may answer and close before everything is written
      }
      InputStream in = s.getInputStream();
      try {
        return new String(in.readNBytes(64 * 1024), StandardCharsets.ISO_8859_1);
      } catch (IOException e) {
        return ""; // reset after Floe closed with bytes unread
      }
    }
  }

  private static int status(String response) {
    return response.startsWith("HTTP/1.0 ") && response.length() >= 12
        ? Integer.parseInt(response.substring(9, 12)) : -1;
  }

  private static void assertFlat(String name, ProcStats warm, ProcStats end) {
    assertThat(warm).as("warm-up sample of %s taken", name).isNotNull();
    assertThat(end.heapAfterGcKib()).as("%s heap after GC, KiB (warm-up %s)", name, warm)
        .isLessThanOrEqualTo(warm.heapAfterGcKib() + HEAP_TOLERANCE_KIB);
    assertThat(end.threads()).as("%s threads (warm-up %s)", name, warm)
        .isLessThanOrEqualTo(warm.threads() + THREAD_TOLERANCE);
    assertThat(end.fds()).as("%s open fds (warm-up %s)", name, warm)
        .isLessThanOrEqualTo(warm.fds() + FD_TOLERANCE);
  }
}
