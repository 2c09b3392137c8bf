package dev.floe.proxy.it.swarm;

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
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ffmpeg (PUT) &rarr; a Floe origin &rarr; three Floe peers that join it with the address it
 * prints. A real ffmpeg player on one peer decodes the stream with no error, and a raw listener
 * on another hears one contiguous run of the origin's audio, byte for byte, delivered by the
 * swarm (the peers' status shows partners and swarm bytes, and no fallback at the end).
 */
class SwarmInteropTest {
  private static final Logger log = LoggerFactory.getLogger(SwarmInteropTest.class);
  private static final Duration LIVE = Duration.ofSeconds(30);
  private static final String MOUNT = SwarmNet.MOUNT;
  private static final int KIB = 1024;

  @Test
  void playersOnPeersHearTheOriginsStreamThroughTheSwarm() throws Exception {
    Path dir = TestDirs.create("swarm-interop");
    List<FloeProcess> all = new ArrayList<>();
    try (FloeProcess origin = SwarmNet.origin(dir.resolve("origin"), ", lag = 4s")) {
      all.add(origin);
      try (FfmpegSource src = FfmpegSource.builder(FfmpegSource.Format.MP3, origin.url(MOUNT))
          .workDir(dir).start()) {
        origin.awaitLive(LIVE);
        String join = SwarmNet.join(origin, LIVE);
        log.info("join address {}", join);
        assertThat(origin.log()).contains("Join address for /live: " + join);
        try (AudioRecorder reference = AudioRecorder.open(origin.port(), MOUNT);
            FloeProcess p1 = SwarmNet.peer(dir.resolve("p1"), join, ", lag = 4s");
            FloeProcess p2 = SwarmNet.peer(dir.resolve("p2"), join, ", lag = 4s");
            FloeProcess p3 = SwarmNet.peer(dir.resolve("p3"), join, ", lag = 4s")) {
          all.addAll(List.of(p1, p2, p3));
          assertThat(reference.status()).isEqualTo(200);
          for (FloeProcess p : List.of(p1, p2, p3)) {
            p.awaitLive(LIVE);
          }
          awaitOn(all, "every peer gets swarm bytes from partners", () -> {
            for (FloeProcess p : List.of(p1, p2, p3)) {
              Map<String, Object> s = SwarmNet.swarm(p);
              if (s == null || SwarmNet.partners(s) == 0 || SwarmNet.number(s, "bytes_down") == 0) {
                return false;
              }
            }
            return true;
          });
          try (AudioRecorder heard = AudioRecorder.open(p2.port(), MOUNT);
              FfmpegPlayer player = FfmpegPlayer.builder(p1.url(MOUNT))
                  .maxDuration(Duration.ofSeconds(20)).workDir(dir).start()) {
            assertThat(heard.status()).isEqualTo(200);
            awaitOn(all, "the raw listener has 160 KiB",
                () -> heard.audioBytes() >= 160 * KIB);
            assertThat(player.awaitExit(Duration.ofSeconds(60))).as(player.stderr()).isZero();
            assertThat(player.decodeErrors()).as(player.stderr()).isEmpty();
            assertThat(player.decodedDuration()).isGreaterThanOrEqualTo(Duration.ofSeconds(15));

            byte[] excerpt = heard.audio();
            heard.close();
            long refNow = reference.audioBytes();
            // the origin is ahead of every peer by the lag: 64 KiB more covers the excerpt
            awaitOn(all, "the reference passes the excerpt's end",
                () -> reference.audioBytes() >= refNow + 64 * KIB);
            Contiguity.Result r = Contiguity.check(reference.audio(), excerpt);
            log.info("contiguity on p2: {}", r.describe());
            assertThat(r.contiguous()).as("%s\n--- p2 log ---\n%s", r.describe(),
                p2.logTail(6000)).isTrue();
          }
          for (FloeProcess p : List.of(p1, p2, p3)) {
            Map<String, Object> s = SwarmNet.swarm(p);
            log.info("{} swarm: {}", p, s);
            assertThat(s.get("role")).isEqualTo("peer");
            assertThat(SwarmNet.number(s, "continuity")).as("continuity %s", s)
                .isGreaterThanOrEqualTo(0.999);
          }
          Map<String, Object> o = SwarmNet.swarm(origin);
          log.info("origin swarm: {}", o);
          assertThat(o.get("role")).isEqualTo("origin");
          assertThat(SwarmNet.number(o, "bytes_up")).isPositive();
        }
      }
    }
  }

  private static void awaitOn(List<FloeProcess> procs, String what, Callable<Boolean> until) {
    try {
      Awaitility.await(what).atMost(Duration.ofSeconds(60)).ignoreExceptions()
          .pollInterval(Duration.ofMillis(250)).until(until);
    } catch (ConditionTimeoutException e) {
      StringBuilder logs = new StringBuilder();
      for (FloeProcess p : procs) {
        logs.append("\n--- ").append(p).append(" ---\n").append(p.logTail(3000));
      }
      throw new AssertionError(what + logs, e);
    }
  }
}
