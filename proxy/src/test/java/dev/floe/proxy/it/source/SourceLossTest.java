package dev.floe.proxy.it.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeServer;
import dev.floe.proxy.it.support.LogCapture;
import dev.floe.proxy.it.support.RawListener;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A source is killed while a listener listens: fallback and return, or waiting through grace. */
class SourceLossTest {
  private static final Duration LIVE = Duration.ofSeconds(15);

  private static FfmpegSource source(FloeServer floe, String mount) {
    FfmpegSource s = FfmpegSource.builder(FfmpegSource.Format.MP3, floe.url(mount))
        .password("pw").start();
    await().atMost(LIVE).until(() -> floe.mount(mount) != null && floe.mount(mount).hasSource()
        && floe.mount(mount).buffer() != null);
    return s;
  }

  @Test
  void listenersMoveToTheFallbackAndComeBackOnOneConnection() {
    try (FloeServer floe = FloeServer.start("""
        server { source-password = "pw" }
        mounts = [ { path = "/main", fallback-mount = "/backup" }, { path = "/backup" } ]
        """);
        FfmpegSource backup = source(floe, "/backup")) {
      FfmpegSource main = source(floe, "/main");
      try (RawListener raw = RawListener.builder(floe.port(), "/main").icyMetadata(false)
          .open()) {
        await().atMost(LIVE).until(() -> floe.mount("/main").listeners() == 1);
        main.close();
        await().atMost(LIVE).until(() -> floe.mount("/backup").listeners() == 1
            && floe.mount("/main").listeners() == 0);
        long atMove = raw.audioBytes();
        await().atMost(LIVE).until(() -> raw.audioBytes() > atMove + 16_000);
        try (FfmpegSource again = source(floe, "/main")) {
          await().atMost(LIVE).until(() -> floe.mount("/main").listeners() == 1);
          long back = raw.audioBytes();
          await().atMost(LIVE).until(() -> raw.audioBytes() > back + 16_000);
          assertThat(raw.connected()).isTrue();
          assertThat(raw.readError()).isNull();
        }
      }
    }
  }

  @Test
  void withoutFallbackListenersWaitThroughAnOutageAndAreClosedAfterTheGrace() {
    try (FloeServer floe = FloeServer.start("""
        server { source-password = "pw" }
        mounts = [ { path = "/solo" }, { path = "/short", source-grace = 2s } ]
        """);
        LogCapture logs = LogCapture.capture()) {
      FfmpegSource first = source(floe, "/solo");
      try (RawListener raw = RawListener.builder(floe.port(), "/solo").icyMetadata(false)
          .open()) {
        await().atMost(LIVE).until(() -> floe.mount("/solo").listeners() == 1);
        first.close();
        await().atMost(LIVE).until(() -> !floe.mount("/solo").hasSource());
        // a 5 s outage, inside the 10 s grace: the listener stays connected
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7))
            .until(() -> raw.connected() && floe.mount("/solo").listeners() == 1);
        try (FfmpegSource second = source(floe, "/solo")) {
          long before = raw.audioBytes();
          await().atMost(LIVE).until(() -> raw.audioBytes() > before + 16_000);
          assertThat(raw.connected()).isTrue();
        }
      }
      FfmpegSource shortSource = source(floe, "/short");
      try (RawListener raw = RawListener.builder(floe.port(), "/short").icyMetadata(false)
          .open()) {
        await().atMost(LIVE).until(() -> floe.mount("/short").listeners() == 1);
        shortSource.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> !raw.connected());
        assertThat(logs.has("/short", "no source for")).isTrue();
      }
    }
  }
}
