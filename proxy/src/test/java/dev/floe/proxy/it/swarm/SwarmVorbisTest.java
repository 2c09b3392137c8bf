package dev.floe.proxy.it.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.proxy.it.support.FfmpegPlayer;
import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeProcess;
import dev.floe.proxy.it.support.RawListener;
import dev.floe.proxy.it.support.TestDirs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ogg Vorbis through the swarm: ffmpeg (libvorbis, PUT) &rarr; a Floe origin &rarr; a Floe peer.
 * Vorbis has three header packets (identification, comment, setup; the setup packet is a few KB,
 * so the headers span pages of their own), where Opus has two small ones: a peer's listener gets
 * all three before any audio page, the peer got the stream from the swarm, and ffmpeg decodes it
 * on the peer with no error.
 */
class SwarmVorbisTest {
  private static final Logger log = LoggerFactory.getLogger(SwarmVorbisTest.class);
  private static final Duration LIVE = Duration.ofSeconds(30);
  private static final String OGG = "/radio.ogg";

  @Test
  void aPeerPlaysOggVorbisWithAllThreeHeadersFirst() throws Exception {
    Path dir = TestDirs.create("swarm-vorbis");
    try (FloeProcess origin = SwarmNet.origin(dir.resolve("origin"), OGG, ", lag = 4s");
        FfmpegSource src = FfmpegSource.builder(FfmpegSource.Format.VORBIS, origin.url(OGG))
            .workDir(dir).start()) {
      origin.awaitLive(LIVE);
      String join = SwarmNet.join(origin, OGG, LIVE);
      try (FloeProcess peer = SwarmNet.peer(dir.resolve("peer"), OGG, join, ", lag = 4s")) {
        peer.awaitLive(LIVE);
        try (RawListener head = RawListener.builder(peer.port(), OGG).icyMetadata(true)
                .captureBytes(16 * 1024).open();
            FfmpegPlayer player = FfmpegPlayer.builder(peer.url(OGG)).icy(true)
                .maxDuration(Duration.ofSeconds(10)).workDir(dir).start()) {
          assertThat(head.status()).isEqualTo(200);
          assertThat(head.metaint()).as("icy-metaint on an Ogg mount").isZero();
          Awaitility.await("16 KiB on the peer").atMost(Duration.ofSeconds(60))
              .until(() -> head.captured().length >= 16 * 1024);
          byte[] b = head.captured();
          String s = new String(b, StandardCharsets.ISO_8859_1);
          assertThat(s).startsWith("OggS");
          assertThat(b[5] & 0x02).as("BOS flag of the first page").isEqualTo(0x02);
          assertThat(s.substring(28, 35)).isEqualTo("\u0001vorbis");
          int comment = s.indexOf("\u0003vorbis");
          int setup = s.indexOf("\u0005vorbis");
          assertThat(comment).as("comment header").isPositive();
          assertThat(setup).as("setup header after the comment header").isGreaterThan(comment);
          // The first page after the headers has a granule position above 0: audio.
          int audioPage = firstPageWithGranule(b);
          assertThat(audioPage).as("an audio page after the setup header").isGreaterThan(setup);

          assertThat(player.awaitExit(Duration.ofSeconds(40))).as(player.stderr()).isZero();
          assertThat(player.decodeErrors()).as(player.stderr()).isEmpty();
          assertThat(player.decodedDuration()).as(player.stderr())
              .isGreaterThanOrEqualTo(Duration.ofSeconds(8));
        }
        Map<String, Object> s = SwarmNet.swarm(peer, OGG);
        log.info("peer Vorbis swarm: {}", s);
        assertThat(SwarmNet.number(s, "bytes_down")).as("audio from the swarm").isPositive();
        assertThat(SwarmNet.number(s, "continuity")).isGreaterThanOrEqualTo(0.999);
      }
    }
  }

  /** Offset of the first Ogg page whose granule position is above 0, or -1. */
  private static int firstPageWithGranule(byte[] b) {
    int at = 0;
    for (int pages = 0; pages < 64 && at + 27 <= b.length; pages++) {
      if (b[at] != 'O' || b[at + 1] != 'g' || b[at + 2] != 'g' || b[at + 3] != 'S') {
        return -1;
      }
      long granule = 0;
      for (int i = 7; i >= 0; i--) {
        granule = granule << 8 | (b[at + 6 + i] & 0xFF);
      }
      if (granule > 0 && granule != -1L) {
        return at;
      }
      int segments = b[at + 26] & 0xFF;
      if (at + 27 + segments > b.length) {
        return -1;
      }
      int body = 0;
      for (int i = 0; i < segments; i++) {
        body += b[at + 27 + i] & 0xFF;
      }
      at += 27 + segments + body;
    }
    return -1;
  }
}
