package dev.floe.proxy.it.hls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeProcess;
import dev.floe.proxy.it.support.TestDirs;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Same name, same bytes: a Floe origin with an ffmpeg source and a Floe relay of it ({@code floe
 * relay <origin mount>}, started 10 s later, so its buffer starts elsewhere and its chunks are
 * cut elsewhere) list segments under the same names, and every name both list has the same
 * bytes on both, across title changes.
 */
class HlsRelayIdentityTest {
  private static final Duration LIVE = Duration.ofSeconds(30);

  @Test
  void segmentsWithTheSameNameAreByteIdenticalOnOriginAndRelay() {
    Path dir = TestDirs.create("hls-relay");
    try (FloeProcess origin = FloeProcess.start(dir.resolve("origin"),
            "server { source-password = \"srcpw\", admin-password = \"adminpw\","
                + " sources-create-mounts = true }");
        FfmpegSource src = FfmpegSource.builder(FfmpegSource.Format.MP3, origin.url("/live"))
            .password("srcpw").start()) {
      String originList = origin.url("/live.m3u8");
      await("origin live").atMost(LIVE).failFast(() -> !src.isAlive())
          .until(() -> Hls.get(originList).statusCode() == 200);
      Hls.setTitle(origin.port(), "/live", "Before the relay");
      await("origin segments").atMost(LIVE).failFast(() -> !src.isAlive())
          .until(() -> Hls.segments(Hls.text(Hls.get(originList))).size() >= 3);
      try (FloeProcess relay = FloeProcess.relayCommand(dir.resolve("relay"),
          List.of(origin.url("/live")))) {
        String relayList = relay.url("/live.m3u8");
        await("relay segments").atMost(LIVE)
            .until(() -> Hls.get(relayList).statusCode() == 200
                && Hls.segments(Hls.text(Hls.get(relayList))).size() >= 2);
        Hls.setTitle(origin.port(), "/live", "While both run");
        await("five segments on the relay").atMost(Duration.ofSeconds(60))
            .failFast(() -> !src.isAlive())
            .until(() -> Hls.segments(Hls.text(Hls.get(relayList))).size() >= 5);

        List<String> onOrigin = Hls.segments(Hls.text(Hls.get(originList)));
        List<String> onRelay = Hls.segments(Hls.text(Hls.get(relayList)));
        List<String> common = new ArrayList<>(onRelay);
        common.retainAll(onOrigin);
        // a name may differ only where a title changed (the relay hears it at its ICY interval,
        // up to 16,000 bytes later; its burst may start before the first title change): the
        // rest is common
        assertThat(common.size()).as("origin %s, relay %s", onOrigin, onRelay)
            .isGreaterThanOrEqualTo(onRelay.size() - 2).isGreaterThanOrEqualTo(3);
        for (String uri : common) {
          HttpResponse<byte[]> a = Hls.get(origin.url("/" + uri));
          HttpResponse<byte[]> b = Hls.get(relay.url("/" + uri));
          assertThat(a.statusCode()).as(uri).isEqualTo(200);
          assertThat(b.statusCode()).as(uri).isEqualTo(200);
          assertThat(b.body()).as(uri).isEqualTo(a.body());
        }
      }
    }
  }
}
