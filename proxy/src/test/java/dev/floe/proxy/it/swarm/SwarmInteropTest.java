package dev.floe.proxy.it.swarm;

import static dev.floe.proxy.it.support.FloeProcess.awaitOn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.proxy.it.support.AudioRecorder;
import dev.floe.proxy.it.support.Contiguity;
import dev.floe.proxy.it.support.FfmpegPlayer;
import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeProcess;
import dev.floe.proxy.it.support.RawListener;
import dev.floe.proxy.it.support.TestDirs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ffmpeg (PUT) &rarr; a Floe origin &rarr; three Floe peers that join it with the address it
 * prints. A real ffmpeg player on one peer decodes the stream with no error, and a raw listener
 * on another hears one contiguous run of the origin's audio, byte for byte, delivered by the
 * swarm (the peers' status shows partners and swarm bytes, and no fallback at the end).
 *
 * <p>The same processes also carry an Ogg Opus mount (a second ffmpeg source, a second channel):
 * on a peer its first bytes are the Ogg BOS page with {@code OpusHead} (the header pages reach the
 * peer as a signed STREAM_HEADER, not in the chunks), and ffmpeg decodes it with no error.
 */
class SwarmInteropTest {
  private static final Logger log = LoggerFactory.getLogger(SwarmInteropTest.class);
  private static final Duration LIVE = Duration.ofSeconds(30);
  private static final String MOUNT = SwarmNet.MOUNT;
  /** How long a swarm condition may take: partners are found and fed within it. */
  private static final Duration SWARM_WAIT = Duration.ofSeconds(60);
  private static final String OGG = SwarmNet.OGG_MOUNT;
  private static final int KIB = 1024;

  @Test
  void playersOnPeersHearTheOriginsStreamThroughTheSwarm() throws Exception {
    Path dir = TestDirs.create("swarm-interop");
    List<FloeProcess> all = new ArrayList<>();
    try (FloeProcess origin = SwarmNet.originWithOgg(dir.resolve("origin"), ", lag = 4s")) {
      all.add(origin);
      try (FfmpegSource src = FfmpegSource.builder(FfmpegSource.Format.MP3, origin.url(MOUNT))
          .workDir(dir).start();
          FfmpegSource opus = FfmpegSource.builder(FfmpegSource.Format.OPUS,
              origin.url(OGG)).workDir(dir).start()) {
        origin.awaitLive(LIVE);
        String join = SwarmNet.join(origin, LIVE);
        String oggJoin = SwarmNet.join(origin, OGG, LIVE);
        log.info("join address {}, Ogg {}", join, oggJoin);
        assertThat(origin.log()).contains("Join address for /live: " + join);
        try (AudioRecorder reference = AudioRecorder.open(origin.port(), MOUNT);
            FloeProcess p1 = SwarmNet.peerWithOgg(dir.resolve("p1"), join, oggJoin, ", lag = 4s");
            FloeProcess p2 = SwarmNet.peerWithOgg(dir.resolve("p2"), join, oggJoin, ", lag = 4s");
            FloeProcess p3 = SwarmNet.peerWithOgg(dir.resolve("p3"), join, oggJoin,
                ", lag = 4s")) {
          all.addAll(List.of(p1, p2, p3));
          assertThat(reference.status()).isEqualTo(200);
          for (FloeProcess p : List.of(p1, p2, p3)) {
            p.awaitLive(LIVE);
          }
          awaitOn(all, "every peer gets swarm bytes from partners", SWARM_WAIT, () -> {
            for (FloeProcess p : List.of(p1, p2, p3)) {
              for (String mount : List.of(MOUNT, OGG)) {
                Map<String, Object> s = SwarmNet.swarm(p, mount);
                if (s == null || SwarmNet.partners(s) == 0
                    || SwarmNet.number(s, "bytes_down") == 0) {
                  return false;
                }
              }
            }
            return true;
          });
          try (AudioRecorder heard = AudioRecorder.open(p2.port(), MOUNT);
              // Both ask for ICY metadata (Icy-MetaData: 1); an Ogg mount offers none (as
              // Icecast), so the pages arrive unbroken.
              RawListener oggHead = RawListener.builder(p3.port(), OGG).icyMetadata(true)
                  .captureBytes(512).open();
              FfmpegPlayer oggPlayer = FfmpegPlayer.builder(p3.url(OGG)).icy(true)
                  .maxDuration(Duration.ofSeconds(10)).workDir(dir).start();
              FfmpegPlayer player = FfmpegPlayer.builder(p1.url(MOUNT))
                  .maxDuration(Duration.ofSeconds(20)).workDir(dir).start()) {
            assertThat(heard.status()).isEqualTo(200);
            assertThat(oggHead.status()).isEqualTo(200);
            assertThat(oggHead.metaint()).as("icy-metaint on an Ogg mount").isZero();
            awaitOn(all, "the raw listener has 160 KiB", SWARM_WAIT,
                () -> heard.audioBytes() >= 160 * KIB);
            assertThat(player.awaitExit(Duration.ofSeconds(60))).as(player.stderr()).isZero();
            assertThat(player.decodeErrors()).as(player.stderr()).isEmpty();
            assertThat(player.decodedDuration()).isGreaterThanOrEqualTo(Duration.ofSeconds(15));

            // Ogg through the swarm: header pages first, then audio that ffmpeg decodes.
            awaitOn(all, "the Ogg listener has 512 bytes", SWARM_WAIT,
                () -> oggHead.captured().length >= 512);
            byte[] head = oggHead.captured();
            assertThat(new String(head, 0, 4, StandardCharsets.ISO_8859_1)).isEqualTo("OggS");
            assertThat(head[5] & 0x02).as("BOS flag of the first page").isEqualTo(0x02);
            assertThat(new String(head, 28, 8, StandardCharsets.ISO_8859_1)).isEqualTo("OpusHead");
            assertThat(new String(head, StandardCharsets.ISO_8859_1)).contains("OpusTags");
            assertThat(oggPlayer.awaitExit(Duration.ofSeconds(30))).as(oggPlayer.stderr()).isZero();
            assertThat(oggPlayer.decodeErrors()).as(oggPlayer.stderr()).isEmpty();
            assertThat(oggPlayer.decodedDuration()).as(oggPlayer.stderr())
                .isGreaterThanOrEqualTo(Duration.ofSeconds(8));

            byte[] excerpt = heard.audio();
            heard.close();
            long refNow = reference.audioBytes();
            // the origin is ahead of every peer by the lag: 64 KiB more covers the excerpt
            awaitOn(all, "the reference passes the excerpt's end", SWARM_WAIT,
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
          Map<String, Object> oggSwarm = SwarmNet.swarm(p3, OGG);
          log.info("{} Ogg swarm: {}", p3, oggSwarm);
          assertThat(SwarmNet.number(oggSwarm, "bytes_down")).isPositive();
          assertThat(SwarmNet.number(oggSwarm, "continuity")).as("Ogg continuity %s", oggSwarm)
              .isGreaterThanOrEqualTo(0.999);
          Map<String, Object> o = SwarmNet.swarm(origin);
          log.info("origin swarm: {}", o);
          assertThat(o.get("role")).isEqualTo("origin");
          assertThat(SwarmNet.number(o, "bytes_up")).isPositive();
        }
      }
    }
  }
}
