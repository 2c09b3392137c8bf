package dev.floe.proxy.it.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeServer;
import dev.floe.proxy.it.support.LogCapture;
import dev.floe.proxy.it.support.RawListener;
import dev.floe.proxy.it.support.RawSource;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A source that sends garbage, and one that stops mid-frame: logged, nobody harmed. */
class BadSourceTest {
  private static final Duration LIVE = Duration.ofSeconds(15);
  private static final String AUTH = "Authorization: " + RawSource.basic("source", "pw");

  @Test
  void garbageAndAHalfFrameAreLoggedAndListenersStayConnected() {
    try (FloeServer floe = FloeServer.start(
        "server { source-password = \"pw\", sources-create-mounts = true }");
        LogCapture logs = LogCapture.capture();
        FfmpegSource good = FfmpegSource.builder(FfmpegSource.Format.MP3, floe.url("/good"))
            .password("pw").start()) {
      await().atMost(LIVE).until(() -> floe.mount("/good") != null
          && floe.mount("/good").buffer() != null);
      try (RawListener other = RawListener.builder(floe.port(), "/good").open()) {
        byte[] garbage = new byte[96 * 1024];
        new Random(42).nextBytes(garbage);
        for (int i = 0; i < garbage.length; i++) {
          if (garbage[i] == (byte) 0xFF) {
            garbage[i] = 0x55; // no frame sync at all
          }
        }
        try (RawSource bad = new RawSource(floe.port())) {
          bad.send("SOURCE /bad HTTP/1.0\r\n" + AUTH + "\r\nContent-Type: audio/mpeg\r\n\r\n");
          assertThat(bad.readHead()).isEqualTo("HTTP/1.0 200 OK\r\n\r\n");
          bad.send(garbage);
          await().atMost(LIVE).until(() -> logs.has("/bad", "sends no audio/mpeg frames")
              && floe.mount("/bad").buffer() != null
              && floe.mount("/bad").buffer().newest() > 0);
          try (RawListener onBad = RawListener.builder(floe.port(), "/bad").open()) {
            bad.send(garbage);
            long seen = onBad.totalBytes();
            await().atMost(LIVE).until(() -> onBad.totalBytes() > seen);
            assertThat(onBad.connected()).isTrue();
          }
        }
        byte[] mp3 = RawSource.mp3();
        try (RawSource half = new RawSource(floe.port())) {
          half.send("PUT /half HTTP/1.1\r\n" + AUTH + "\r\nContent-Type: audio/mpeg\r\n\r\n");
          assertThat(half.readHead()).isEqualTo("HTTP/1.0 200 OK\r\n\r\n");
          // 64000 bytes is not a multiple of a 417/418-byte frame: it stops mid-frame
          half.send(java.util.Arrays.copyOf(mp3, 64_000));
          await().atMost(LIVE).until(() -> floe.mount("/half").buffer() != null
              && floe.mount("/half").buffer().newest() > 32_000);
          try (RawListener onHalf = RawListener.builder(floe.port(), "/half").open()) {
            await().atMost(LIVE).until(() -> onHalf.audioBytes() > 0);
            half.close();
            await().atMost(LIVE).until(() -> logs.has("/half", "ended after 64000 bytes"));
            assertThat(onHalf.connected()).isTrue();
          }
        }
        long before = other.audioBytes();
        await().atMost(LIVE).until(() -> other.audioBytes() > before + 16_000);
        assertThat(other.connected()).isTrue();
        assertThat(good.isAlive()).isTrue();
      }
    }
  }
}
