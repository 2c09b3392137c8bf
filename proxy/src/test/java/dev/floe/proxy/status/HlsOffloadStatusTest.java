package dev.floe.proxy.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The HLS upload budget in the status JSON, {@code /metrics} and the status page. */
class HlsOffloadStatusTest {
  private static final HlsOffloadStatus BUDGET = new HlsOffloadStatus(1000, 3000, 900, 2, 5, 1,
      List.of("-PM0100-abc", "\"<b>&x"));

  private static MountStatus with(MountStatus m, HlsOffloadStatus o) {
    return new MountStatus(m.mount(), m.listenUrl(), m.contentType(), m.name(), m.description(),
        m.genre(), m.url(), m.audioInfo(), m.bitrate(), m.channels(), m.samplerate(),
        m.listeners(), m.listenerPeak(), m.title(), m.streamStart(), m.live(), m.upstream(),
        m.slowListenersDropped(), m.bytesIn(), m.bytesOut(), m.reconnects(), m.bufferBytes(),
        m.bufferSeconds(), m.resume(), m.swarm(), m.hlsListeners(), o);
  }

  @Test
  void theStatusJsonCarriesEveryFigureAndTheOffendersEscaped() {
    String json = StatusJson.render(Fixtures.server(),
        List.of(with(Fixtures.mount("/a", "One"), BUDGET)));
    Map<String, Object> source = StrictJson.obj(StrictJson.obj(StrictJson.obj(
        StrictJson.parse(json)).get("icestats")).get("source"));
    Map<String, Long> want = Map.of("floe_hls_http_bytes", 1000L, "floe_hls_peer_bytes", 3000L,
        "floe_hls_reported_http_bytes", 900L, "floe_hls_rejected_segments", 2L,
        "floe_hls_reports", 5L, "floe_hls_reports_refused", 1L);
    want.forEach((k, v) -> assertThat(((Number) source.get(k)).longValue()).as(k).isEqualTo(v));
    assertThat(source.get("floe_hls_offenders")).isEqualTo(List.of("-PM0100-abc", "\"<b>&x"));
    assertThat(((Number) source.get("floe_hls_offload")).doubleValue()).isEqualTo(0.75);
    // a mount not counted has none of these keys
    assertThat(StatusJson.render(Fixtures.server(), List.of(Fixtures.mount("/a", "One"))))
        .doesNotContain("floe_hls_http_bytes");
  }

  @Test
  void metricsAreCountersPerMountAndTheShareAGauge() {
    String text = Metrics.render(new Metrics.Process(1, 1, 1, 1), List.of(
        with(Fixtures.mount("/a", "One"), BUDGET),
        with(Fixtures.mount("/b", "Two"), new HlsOffloadStatus(0, 0, 0, 0, 0, 0, List.of()))));
    assertThat(text).contains("# TYPE floe_hls_http_bytes_total counter\n")
        .contains("floe_hls_http_bytes_total{mount=\"/a\"} 1000\n")
        .contains("floe_hls_peer_bytes_total{mount=\"/a\"} 3000\n")
        .contains("floe_hls_reported_http_bytes_total{mount=\"/a\"} 900\n")
        .contains("floe_hls_rejected_segments_total{mount=\"/a\"} 2\n")
        .contains("floe_hls_reports_total{mount=\"/a\"} 5\n")
        .contains("floe_hls_reports_refused_total{mount=\"/a\"} 1\n")
        .contains("# TYPE floe_hls_offload gauge\n")
        .contains("floe_hls_offload{mount=\"/a\"} 0.750000\n")
        .contains("floe_hls_offload{mount=\"/b\"} 0\n")
        .doesNotContain("PM0100"); // peer ids are not labels
  }

  @Test
  void thePageShowsTheShareOnceThereIsSomething() {
    String page = StatusPage.render(Fixtures.server(),
        List.of(with(Fixtures.mount("/a", "One"), BUDGET)));
    assertThat(page).contains("<dt>HLS offload</dt><dd>75.0 % from browser peers (reported"
        + " 3000 B from peers, 1000 B served over HTTP; 2 peer segments rejected)</dd>");
    assertThat(StatusPage.render(Fixtures.server(), List.of(with(Fixtures.mount("/a", "One"),
        new HlsOffloadStatus(0, 0, 0, 0, 0, 0, List.of()))))).doesNotContain("HLS offload");
  }
}
