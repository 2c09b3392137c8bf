package dev.floe.proxy.it.soak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.proxy.it.support.AudioRecorder;
import dev.floe.proxy.it.support.Contiguity;
import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeProcess;
import dev.floe.proxy.it.support.IcecastServer;
import dev.floe.proxy.it.support.RawListener;
import dev.floe.proxy.it.support.TestDirs;
import dev.floe.proxy.it.swarm.SwarmNet;
import dev.floe.swarm.chunk.ChannelKey;
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
 * The whole topology as real processes, for {@code floe.soak.minutes} (default 3): an ffmpeg MP3
 * source &rarr; icecast2 &rarr; Floe relay A (Netty's leak detector in paranoid mode), which is
 * also the swarm origin of its mount &rarr; Floe relay B (resume protocol: A is a Floe upstream);
 * and two swarm peers of A (P1, P2: Floe processes under the Raspberry Pi's JVM flags, leak
 * detector paranoid too). 25 steady players on each relay and 5 on each peer record every audio
 * byte; meanwhile players churn, bad clients of several kinds connect (hostile swarm peers among
 * them: garbage after the peer magic, a forged chunk, the magic and then silence), and the source
 * is killed (SIGKILL) and replaced twice.
 *
 * <p>Checks: no steady player is disconnected; each one's audio is one contiguous excerpt of a
 * reference recording on A; every stuck reader is dropped ({@code floe_slow_listeners_dropped})
 * and no one else; every hostile peer connection is closed (the forged chunks logged as FORGED);
 * the leak detector reports nothing; heap after a full GC, threads and file descriptors of A, B,
 * P1 and P2 are flat between a sample after the warm-up and one at the end (both taken at a quiet
 * moment: no churn or bad client in flight).
 */
class SoakTest {
  private static final Logger log = LoggerFactory.getLogger(SoakTest.class);
  private static final String MOUNT = "/live";
  private static final Duration LIVE = Duration.ofSeconds(30);
  private static final int STEADY_PER_RELAY = 25;
  private static final int STEADY_PER_PEER = 5;
  private static final String PEER_SERVER = "server.hostname = \"127.0.0.1\"\n";
  private static final Duration WARM_UP = Duration.ofSeconds(60);
  /** Stuck readers need about 40 s to pass max-lag (512 KiB at 16 KB/s, plus buffers). */
  private static final Duration STUCK_DRAIN = Duration.ofSeconds(100);
  private static final Duration HEADER_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(3);
  private static final String PARANOID = "-Dio.netty.leakDetection.level=paranoid";
  /** Heap after GC may grow by this much: see docs/reliability.md (soak test). */
  private static final long HEAP_TOLERANCE_KIB = 2 * 1024;
  private static final int THREAD_TOLERANCE = 3;
  private static final int FD_TOLERANCE = 2;
  private static final String SERVER = "server { hostname = \"127.0.0.1\", header-timeout = "
      + HEADER_TIMEOUT.toSeconds()
      + "s, idle-timeout = " + IDLE_TIMEOUT.toSeconds() + "s\n"
      // every test client comes from 127.0.0.1: 50 steady + churn + bad clients; the guesser's
      // answers are held for its lockout, at most 2 s here so the bad-input loop keeps its pace
      + "  limits { max-connections-per-ip = 512, auth-backoff = 1s, auth-backoff-max = 2s } }\n";

  private final Random random = new Random(7);
  private final Map<String, Integer> bad = new LinkedHashMap<>();
  private final Map<String, Integer> faults = new LinkedHashMap<>();
  private final List<Pending> pending = new ArrayList<>();
  private final List<Socket> stuck = new ArrayList<>();
  private final List<Pending> silentPeers = new ArrayList<>();
  private int churned;
  private int forged;

  /** A bad client waiting for Floe's answer: a 408, or a close without a word. */
  private record Pending(Socket socket, long openedNanos, String expect) {}

  @Test
  void relaysHoldUnderChurnBadClientsAndSourceKills() throws Exception {
    Duration run = Duration.ofMinutes(Long.getLong("floe.soak.minutes", 3));
    Path dir = TestDirs.create("soak");
    IcecastServer ice = IcecastServer.start(dir.resolve("ice"));
    FfmpegSource src = null;
    List<AudioRecorder> steady = new ArrayList<>();
    List<AudioRecorder> onPeers = new ArrayList<>();
    List<RawListener> churn = new ArrayList<>();
    try (ice) {
      src = source(ice, dir);
      try (FloeProcess a = FloeProcess.start(dir.resolve("A"), SERVER + originMount(ice.url(MOUNT),
              dir.resolve("A").toAbsolutePath().resolve("origin.key").toString()),
              List.of(PARANOID));
          FloeProcess b = FloeProcess.start(dir.resolve("B"), SERVER + mount(a.url(MOUNT)),
              List.of())) {
        a.awaitLive(LIVE);
        b.awaitLive(LIVE);
        assertThat(ProcStats.jcmd(a.pid(), "VM.command_line"))
            .contains("-Dio.netty.leakDetection.level=paranoid");
        long minutes = Math.max(1, run.toMinutes());
        int refLimit = (int) Math.min(Integer.MAX_VALUE - 8, (minutes + 6) * 1_100_000L);
        // The reference starts before anyone else listens (the peers start slowly): every
        // player's first byte, burst included, is in it.
        try (AudioRecorder reference = AudioRecorder.builder(a.port(), MOUNT).limit(refLimit)
            .open()) {
          String join = SwarmNet.join(a, MOUNT, LIVE);
          ChannelKey channel = SoakSwarm.channel(join);
          try (FloeProcess p1 = SoakSwarm.peer(dir.resolve("P1"), PEER_SERVER, MOUNT, join,
                  List.of(PARANOID));
              FloeProcess p2 = SoakSwarm.peer(dir.resolve("P2"), PEER_SERVER, MOUNT, join,
                  List.of(PARANOID))) {
            List<FloeProcess> peers = List.of(p1, p2);
            p1.awaitLive(LIVE);
            p2.awaitLive(LIVE);
            for (int i = 0; i < STEADY_PER_RELAY; i++) {
              steady.add(AudioRecorder.open(a.port(), MOUNT));
              steady.add(AudioRecorder.open(b.port(), MOUNT));
            }
            assertThat(steady).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
            for (int i = 0; i < STEADY_PER_PEER; i++) {
              for (FloeProcess p : peers) {
                onPeers.add(AudioRecorder.open(p.port(), MOUNT));
              }
            }
            assertThat(onPeers).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));

            long start = System.nanoTime();
            long end = start + run.toNanos();
            long warmEnd = start + WARM_UP.toNanos();
            long stuckEnd = end - STUCK_DRAIN.toNanos();
            long[] killAt = {start + run.toNanos() / 3, start + 2 * run.toNanos() / 3};
            int kills = 0;
            ProcStats warmA = null;
            ProcStats warmB = null;
            List<ProcStats> warmPeers = new ArrayList<>();
            int iteration = 0;
            while (System.nanoTime() < end && iteration < 1_000_000) {
              iteration++;
              if (warmA == null && System.nanoTime() >= warmEnd) {
                quiesce(churn);
                warmA = ProcStats.of(a.pid());
                warmB = ProcStats.of(b.pid());
                for (FloeProcess p : peers) {
                  warmPeers.add(ProcStats.of(p.pid()));
                }
                log.info("after warm-up: A {} B {} peers {}", warmA, warmB, warmPeers);
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
              if (iteration % 4 == 0) {
                hostilePeer(iteration / 4, a, peers, channel);
              }
              collect(false);
              if (iteration % 20 == 0) {
                assertSteady(steady, a, b);
                assertOnPeers(onPeers, peers);
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
            List<ProcStats> endPeers = new ArrayList<>();
            for (FloeProcess p : peers) {
              endPeers.add(ProcStats.of(p.pid()));
            }
            log.info("at the end: A {} B {} peers {}", endA, endB, endPeers);
            assertSteady(steady, a, b);
            assertOnPeers(onPeers, peers);

            // What was lost: compare every steady player with the reference on A.
            List<byte[]> heard = new ArrayList<>();
            for (AudioRecorder r : steady) {
              heard.add(r.audio());
              r.close();
            }
            List<byte[]> heardOnPeers = new ArrayList<>();
            for (AudioRecorder r : onPeers) {
              heardOnPeers.add(r.audio());
              r.close();
            }
            long refNow = reference.audioBytes();
            FloeProcess.awaitOn(List.of(a, b), "reference passes the players' end",
                () -> reference.audioBytes() >= refNow + 64 * 1024);
            assertThat(reference.full()).isFalse();
            byte[] ref = reference.audio();
            // Every player is checked and every break listed before the assertion.
            List<String> broken = new ArrayList<>();
            long heardBytes = 0;
            for (int i = 0; i < heard.size(); i++) {
              Contiguity.Result r = Contiguity.check(ref, heard.get(i));
              if (!r.contiguous()) {
                broken.add("steady player " + i + " on " + (i % 2 == 0 ? "A" : "B") + ": "
                    + r.describe());
              }
              heardBytes += heard.get(i).length;
            }
            long heardOnPeersBytes = 0;
            for (int i = 0; i < heardOnPeers.size(); i++) {
              Contiguity.Result r = Contiguity.check(ref, heardOnPeers.get(i));
              if (!r.contiguous()) {
                broken.add("steady player " + i + " on P" + (i % 2 + 1) + ": " + r.describe());
              }
              heardOnPeersBytes += heardOnPeers.get(i).length;
            }
            log.info("reference {} bytes; players whose audio is not one contiguous excerpt: {}",
                ref.length, broken);
            assertThat(broken).as("players whose audio is not one contiguous excerpt").isEmpty();

            long droppedA = a.statusNumber("floe_slow_listeners_dropped");
            long droppedB = b.statusNumber("floe_slow_listeners_dropped");
            int forgedLogged = 0;
            for (FloeProcess p : peers) {
              forgedLogged += count(p.log(), ": FORGED: ");
            }
            log.info("soak {} min: {} steady players heard {} audio bytes, all contiguous;"
                + " {} players on the swarm peers heard {}, all contiguous;"
                + " bad clients {}; faults {}; churned {}; slow listeners dropped A {} B {};"
                + " gaps A {} B {}; forged chunks logged by the peers {}; swarm A {} P1 {} P2 {}",
                run.toMinutes(), steady.size(), heardBytes, onPeers.size(), heardOnPeersBytes,
                bad, faults, churned, droppedA, droppedB, a.statusNumber("floe_gaps"),
                b.statusNumber("floe_gaps"), forgedLogged, SwarmNet.swarm(a, MOUNT),
                SwarmNet.swarm(p1, MOUNT), SwarmNet.swarm(p2, MOUNT));
            assertThat(forgedLogged).as("forged chunks the peers dropped").isEqualTo(forged);
            assertThat(droppedA + droppedB).as("only the stuck readers were dropped")
                .isEqualTo(stuckCount);
            for (FloeProcess f : List.of(a, b, p1, p2)) {
              assertThat(f.log()).as("Netty leak reports in %s", f).doesNotContain("LEAK:");
            }
            assertFlat("A", warmA, endA);
            assertFlat("B", warmB, endB);
            for (int i = 0; i < peers.size(); i++) {
              assertFlat("P" + (i + 1), warmPeers.get(i), endPeers.get(i));
            }
          }
        }
      }
    } finally {
      churn.forEach(RawListener::close);
      steady.forEach(AudioRecorder::close);
      onPeers.forEach(AudioRecorder::close);
      for (Pending p : pending) {
        p.socket().close();
      }
      for (Pending p : silentPeers) {
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

  /** A relay mount that is also the swarm origin of its channel. */
  private static String originMount(String upstream, String keyFile) {
    return "mounts = [ { path = \"" + MOUNT + "\", upstreams = [\"" + upstream + "\"],"
        + " swarm { role = origin, key-file = \"" + keyFile + "\" } } ]";
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0 && n < 1_000_000; i = text.indexOf(what, i + 1)) {
      n++;
    }
    return n;
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

  private static void assertOnPeers(List<AudioRecorder> onPeers, List<FloeProcess> peers) {
    for (int i = 0; i < onPeers.size(); i++) {
      AudioRecorder r = onPeers.get(i);
      assertThat(r.connected()).as("steady player %d on P%d connected (read error %s)\n%s", i,
          i % 2 + 1, r.readError(), peers.get(i % 2).logTail(3000)).isTrue();
    }
  }

  /**
   * One hostile swarm peer, of a kind chosen by {@code n}: garbage after the magic (to the origin
   * or a peer), a forged chunk (to a peer: the origin takes no chunks), or the magic and then
   * silence (checked later, once the HELLO timeout has passed).
   */
  private void hostilePeer(int n, FloeProcess origin, List<FloeProcess> peers, ChannelKey channel)
      throws Exception {
    FloeProcess peer = peers.get(n % peers.size());
    switch (n % 3) {
      case 0 -> {
        FloeProcess to = n % 2 == 0 ? origin : peer;
        assertThat(SoakSwarm.garbageAfterMagic(to.port(), random))
            .as("garbage after the peer magic to %s: closed", to).isTrue();
        bad.merge("peer: garbage after the magic", 1, Integer::sum);
      }
      case 1 -> {
        assertThat(SoakSwarm.forgedChunk(peer.port(), channel))
            .as("forged chunk to %s: closed", peer).isTrue();
        forged++;
        bad.merge("peer: forged chunk", 1, Integer::sum);
      }
      default -> {
        FloeProcess to = n % 2 == 0 ? origin : peer;
        silentPeers.add(new Pending(SoakSwarm.magicThenSilence(to.port()), System.nanoTime(),
            "peer"));
        bad.merge("peer: magic, then silence", 1, Integer::sum);
      }
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
      case 4 -> { // wrong admin password from another address: 401 (held 2 s once locked out)
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
    for (int i = silentPeers.size() - 1; i >= 0; i--) {
      Pending p = silentPeers.get(i);
      long due = SoakSwarm.HELLO_TIMEOUT.toNanos() + 2_000_000_000L;
      if (all || now - p.openedNanos() >= due) {
        long ms = (System.nanoTime() - p.openedNanos()) / 1_000_000;
        Duration left = Duration.ofNanos(Math.max(0, p.openedNanos()
            + SoakSwarm.HELLO_TIMEOUT.toNanos() - now)).plusSeconds(5);
        assertThat(SoakSwarm.closedSilently(p.socket(), left))
            .as("peer magic then silence, %d ms on", ms).isTrue();
        p.socket().close();
        silentPeers.remove(i);
      }
    }
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
