package dev.floe.proxy.it.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.buffer.StreamBuffer;
import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeServer;
import dev.floe.proxy.it.support.PlayerBuffer;
import dev.floe.proxy.it.support.RawListener;
import dev.floe.proxy.mount.Mount;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An encoder killed with SIGKILL and started again after 0.5, 1, 2, 4 and 7 s, while players
 * listen on one connection each (issue 16): every player hears the new source with no stall
 * longer than the source's own gap, measured from the kill to the new source's first chunk. A
 * player with a 1 s buffer is modelled on each listener's arrival times ({@link PlayerBuffer}).
 * Before the fix a paced listener still in the old segment was frozen as soon as the new source
 * sent data (0 bytes from then on), and nothing woke listeners during the outage itself.
 */
class SourceComesBackTest {
  private static final Duration LIVE = Duration.ofSeconds(15);
  private static final long RATE = 16_000; // 128 kbit/s
  private static final double[] GAPS = {0.5, 1, 2, 4, 7};
  /**
   * The gap is measured here (polled every 10 ms) to the new source's first chunk in the buffer;
   * a player that had no margin left hears it that much later, once the chunk crossed the
   * loopback to its reader thread.
   */
  private static final Duration DELIVERY = Duration.ofMillis(100);

  @Test
  void playersHearTheReturningSourceWithNoStallBeyondTheGap() throws Exception {
    try (FloeServer floe = FloeServer.start("""
        server { source-password = "pw" }
        mounts = [ { path = "/live" } ]
        """)) {
      FfmpegSource src = start(floe);
      Mount m = floe.mount("/live");
      List<PlayerBuffer> players = new ArrayList<>();
      List<RawListener> listeners = new ArrayList<>();
      try {
        // One player joins as the stream starts, one once the buffer holds burst + delay.
        listeners.add(listen(floe, players));
        await().atMost(LIVE).until(() -> m.buffer().newest() >= 10 * RATE);
        listeners.add(listen(floe, players));
        List<String> report = new ArrayList<>();
        boolean ok = true;
        for (double gap : GAPS) {
          StreamBuffer before = m.buffer();
          long atStart = before.newest();
          await().atMost(LIVE).until(() -> m.buffer().newest() >= atStart + 8 * RATE);
          long killed = System.nanoTime();
          src.kill();
          await().atMost(LIVE).until(() -> !m.hasSource());
          Thread.sleep((long) (gap * 1000)); // the gap is the schedule, not a synchronisation
          src = start(floe);
          await().atMost(LIVE).pollInterval(Duration.ofMillis(10))
              .until(() -> m.buffer() != before && m.buffer().newest() > 0);
          long back = System.nanoTime();
          Duration dataGap = Duration.ofNanos(back - killed);
          long[] heard = listeners.stream().mapToLong(RawListener::audioBytes).toArray();
          // Long enough for each player to play the old tail, its own buffer and the new source.
          await().atMost(LIVE).until(() -> m.buffer().newest() >= 12 * RATE);
          for (int i = 0; i < players.size(); i++) {
            Duration silent = players.get(i).silenceBetween(killed, System.nanoTime());
            long gained = listeners.get(i).audioBytes() - heard[i];
            boolean fine = silent.compareTo(dataGap.plus(DELIVERY)) <= 0 && gained >= 8 * RATE
                && listeners.get(i).connected();
            ok &= fine;
            report.add(String.format("gap %.1f s (data gap %d ms): player %d silent %d ms, got %d"
                + " bytes after the return%s", gap, dataGap.toMillis(), i, silent.toMillis(),
                gained, fine ? "" : "  <-- FAIL"));
          }
        }
        System.out.println(String.join("\n", report));
        assertThat(ok).as(String.join("\n", report) + "\n" + players).isTrue();
      } finally {
        listeners.forEach(RawListener::close);
        src.close();
      }
    }
  }

  private static FfmpegSource start(FloeServer floe) {
    FfmpegSource s = FfmpegSource.builder(FfmpegSource.Format.MP3, floe.url("/live"))
        .password("pw").start();
    await().atMost(LIVE).until(() -> floe.mount("/live") != null
        && floe.mount("/live").hasSource());
    return s;
  }

  private static RawListener listen(FloeServer floe, List<PlayerBuffer> players) {
    await().atMost(LIVE).until(() -> floe.mount("/live").buffer() != null
        && floe.mount("/live").buffer().newest() > 0);
    PlayerBuffer p = PlayerBuffer.oneSecond(RATE);
    players.add(p);
    return RawListener.builder(floe.port(), "/live").icyMetadata(true).player(p).open();
  }
}
