package dev.floe.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.buffer.StreamBuffer;
import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeServer;
import dev.floe.proxy.it.support.IcecastServer;
import dev.floe.proxy.it.support.PlayerBuffer;
import dev.floe.proxy.it.support.RawListener;
import dev.floe.proxy.it.support.TestDirs;
import dev.floe.proxy.mount.Mount;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A player that joins while the back buffer holds less than burst + listener delay (the first
 * second after Floe starts, after a source reconnects) hears no stall (issue 15 item 7): each is
 * recorded for 20 s with a 1 s player buffer ({@link PlayerBuffer}). Before the fix the burst
 * was followed by real time until 64 KiB, then nothing for about 4 s while the delay grew back.
 */
class EarlyListenerTest {
  private static final Duration LIVE = Duration.ofSeconds(15);
  private static final Duration RECORD = Duration.ofSeconds(20);
  private static final long RATE = 16_000; // 128 kbit/s

  @Test
  void playersJoiningASecondAfterASourceStartsOrComesBackNeverStall() throws Exception {
    try (FloeServer floe = FloeServer.start("""
        server { source-password = "pw" }
        mounts = [ { path = "/live" } ]
        """)) {
      FfmpegSource src = FfmpegSource.builder(FfmpegSource.Format.MP3, floe.url("/live"))
          .password("pw").start();
      try {
        await().atMost(LIVE).until(() -> floe.mount("/live") != null
            && floe.mount("/live").buffer() != null);
        Mount m = floe.mount("/live");
        recordASecondAfterTheFirstChunk(floe, m, null);
        StreamBuffer first = m.buffer();
        src.kill();
        src = FfmpegSource.builder(FfmpegSource.Format.MP3, floe.url("/live")).password("pw")
            .start();
        recordASecondAfterTheFirstChunk(floe, m, first);
      } finally {
        src.close();
      }
    }
  }

  @Test
  void aPlayerJoiningASecondAfterARelayStartsNeverStalls() throws Exception {
    try (IcecastServer ice = IcecastServer.start(TestDirs.create("early-relay"));
        FfmpegSource src = FfmpegSource.mp3(ice.url("/live"))) {
      ice.awaitMount("/live", LIVE);
      try (RawListener probe = RawListener.builder(ice.port(), "/live").icyMetadata(false)
          .open()) {
        // icecast2 holds its own 64 KiB burst: the relay receives it at once.
        await().atMost(LIVE).until(() -> probe.audioBytes() >= 64 * 1024);
      }
      long started = System.nanoTime();
      try (FloeServer floe = FloeServer.relay(ice.url("/live"), "/live", "")) {
        await().atMost(LIVE).until(() -> floe.mount("/live").live());
        Thread.sleep(Math.max(0, 1000 - (System.nanoTime() - started) / 1_000_000)); // schedule
        record(floe);
      }
    }
  }

  /** Waits for the first chunk of a segment other than {@code old}, a second, and records. */
  private static void recordASecondAfterTheFirstChunk(FloeServer floe, Mount m, StreamBuffer old)
      throws InterruptedException {
    await().atMost(LIVE).pollInterval(Duration.ofMillis(10))
        .until(() -> m.buffer() != null && m.buffer() != old && m.buffer().newest() > 0);
    Thread.sleep(1000); // the join time is the schedule: one second after the first chunk
    assertThat(m.buffer().newest()).as("less than burst + delay held")
        .isLessThan(m.settings().burstBytes() + m.settings().listenerDelayBytes());
    record(floe);
  }

  private static void record(FloeServer floe) {
    PlayerBuffer p = PlayerBuffer.oneSecond(RATE);
    try (RawListener l = RawListener.builder(floe.port(), "/live").icyMetadata(true).player(p)
        .open()) {
      await().atMost(Duration.ofSeconds(3)).until(p::playing);
      await().during(RECORD).atMost(RECORD.plusSeconds(2)).pollInterval(Duration.ofMillis(100))
          .failFast(() -> assertThat(p.stalls()).as("stalls of " + p).isEmpty())
          .until(l::connected);
      assertThat(p.stalls()).as(p.toString()).isEmpty();
      assertThat(l.audioBytes()).as("20 s of audio or more").isGreaterThan(19 * RATE);
    }
  }
}
