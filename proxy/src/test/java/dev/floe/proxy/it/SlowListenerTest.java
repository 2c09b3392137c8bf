package dev.floe.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeServer;
import dev.floe.proxy.it.support.IcecastServer;
import dev.floe.proxy.it.support.LogCapture;
import dev.floe.proxy.it.support.RawListener;
import dev.floe.proxy.it.support.TestDirs;
import dev.floe.proxy.mount.Mount;
import dev.floe.proxy.status.StrictJson;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A player that stops reading falls behind; past {@code max-lag} Floe drops it with a log line
 * and counts it, and the other listeners notice nothing.
 */
class SlowListenerTest {
  private static final Duration LIVE = Duration.ofSeconds(15);

  @Test
  void stuckListenerIsDroppedAndCountedWhileOthersPlay() throws Exception {
    try (IcecastServer ice = IcecastServer.start(TestDirs.create("slow-listener"));
        FfmpegSource src = FfmpegSource.mp3(ice.url("/live"))) {
      ice.awaitMount("/live", LIVE);
      try (FloeServer floe = FloeServer.relay(ice.url("/live"), "/live",
              ", burst-size = 16KiB, max-lag = 48KiB");
          LogCapture log = LogCapture.capture()) {
        Mount mount = floe.mount("/live");
        await().atMost(LIVE).until(mount::live);
        try (RawListener good = RawListener.builder(floe.port(), "/live").icyMetadata(true).open();
            Socket stuck = new Socket()) {
          stuck.setReceiveBufferSize(2048);
          stuck.connect(new InetSocketAddress("127.0.0.1", floe.port()), 5000);
          stuck.getOutputStream().write("GET /live HTTP/1.0\r\nIcy-MetaData: 1\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
          await().atMost(LIVE).until(() -> mount.listeners() == 2);

          // The stuck socket's buffers fill, then its cursor falls behind by more than 48 KiB.
          await().atMost(Duration.ofSeconds(90)).until(() -> mount.counters().slowListenersDropped() == 1);
          await().atMost(LIVE).until(() -> mount.listeners() == 1);
          assertThat(log.has("dropping listener", "behind")).isTrue();

          Map<String, Object> source = StrictJson.obj(StrictJson.obj(StrictJson.obj(
              StrictJson.parse(floe.get("/status-json.xsl").body())).get("icestats")).get("source"));
          assertThat(((Number) source.get("floe_slow_listeners_dropped")).longValue()).isEqualTo(1);
          assertThat(((Number) source.get("listeners")).intValue()).isEqualTo(1);

          long before = good.audioBytes();
          await().atMost(LIVE).until(() -> good.audioBytes() > before + 32 * 1024);
          assertThat(good.connected()).isTrue();
          assertThat(good.readError()).isNull();
        }
      }
    }
  }
}
