package dev.floe.proxy.status;

import static dev.floe.proxy.status.StrictJson.arr;
import static dev.floe.proxy.status.StrictJson.obj;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A mount's swarm in the status JSON ({@code floe_swarm}), the status page and the metrics. */
class SwarmStatusTest {
  private static final SwarmStatus PEER = new SwarmStatus("peer",
      "http://o.example:8000/live#floe=abc",
      List.of(new SwarmStatus.Partner("10.0.0.2:8000", 1000, 2000, 12, "00112233aabbccdd"),
          new SwarmStatus.Partner("10.0.0.3:8000", 0, 3000, 40)),
      0.9995, 0.125, 8000, 0.02, 1000, 5000, 1030, 5120, false, -1, null);

  private static MountStatus withSwarm(MountStatus m, SwarmStatus s) {
    return new MountStatus(m.mount(), m.listenUrl(), m.contentType(), m.name(), m.description(),
        m.genre(), m.url(), m.audioInfo(), m.bitrate(), m.channels(), m.samplerate(),
        m.listeners(), m.listenerPeak(), m.title(), m.streamStart(), m.live(), m.upstream(),
        m.slowListenersDropped(), m.bytesIn(), m.bytesOut(), m.reconnects(), m.bufferBytes(),
        m.bufferSeconds(), m.resume(), s);
  }

  @Test
  void jsonCarriesTheSwarmBesideIcecastsFields() {
    MountStatus plain = Fixtures.mount("/live", "Song");
    String withoutSwarm = StatusJson.render(Fixtures.server(), List.of(plain));
    String json = StatusJson.render(Fixtures.server(), List.of(withSwarm(plain, PEER)));

    Map<String, Object> source = obj(obj(obj(StrictJson.parse(json)).get("icestats"))
        .get("source"));
    Map<String, Object> before = obj(obj(obj(StrictJson.parse(withoutSwarm)).get("icestats"))
        .get("source"));
    Map<String, Object> swarm = obj(source.get("floe_swarm"));
    assertThat(swarm).containsEntry("role", "peer").containsEntry("fallback", false)
        .doesNotContainKey("tracker_peers");
    assertThat(((Number) swarm.get("lag_ms")).longValue()).isEqualTo(8000);
    assertThat(((Number) swarm.get("continuity")).doubleValue()).isEqualTo(0.9995);
    assertThat(((Number) swarm.get("origin_share")).doubleValue()).isEqualTo(0.125);
    assertThat(((Number) swarm.get("bytes_up")).longValue()).isEqualTo(1000);
    assertThat(((Number) swarm.get("wire_bytes_up")).longValue()).isEqualTo(1030);
    assertThat(((Number) swarm.get("wire_bytes_down")).longValue()).isEqualTo(5120);
    List<Object> partners = arr(swarm.get("partners"));
    assertThat(partners).hasSize(2);
    Map<String, Object> first = obj(partners.get(0));
    assertThat(first).containsEntry("address", "10.0.0.2:8000")
        .containsEntry("node", "00112233aabbccdd");
    assertThat(((Number) first.get("bytes_up")).longValue()).isEqualTo(1000);
    assertThat(((Number) first.get("bytes_down")).longValue()).isEqualTo(2000);
    assertThat(((Number) first.get("rtt_ms")).longValue()).isEqualTo(12);
    source.remove("floe_swarm");
    assertThat(source).isEqualTo(before);
  }

  @Test
  void pageShowsPeersContinuityAndOriginShare() {
    String html = StatusPage.render(Fixtures.server(),
        List.of(withSwarm(Fixtures.mount("/live", "Song"), PEER)));

    assertThat(html).contains("<dt>Swarm</dt><dd>peer</dd>")
        .contains("2 partners").contains("99.95% since start")
        .contains("12.50% of what arrived").contains("10.0.0.3:8000")
        .contains("10.0.0.2:8000 (node 00112233)");
  }

  @Test
  void metricsHaveTheSwarmSeries() {
    String text = Metrics.render(new Metrics.Process(1, 1, 1, 1),
        List.of(withSwarm(Fixtures.mount("/live", "Song"), PEER), Fixtures.mount("/b", "x")));

    assertThat(text).contains("floe_swarm_continuity{mount=\"/live\"} 0.999500\n")
        .contains("floe_swarm_partners{mount=\"/live\"} 2\n")
        .contains("floe_swarm_bytes_up_total{mount=\"/live\"} 1000\n")
        .contains("floe_swarm_bytes_down_total{mount=\"/live\"} 5000\n")
        .contains("floe_swarm_wire_bytes_up_total{mount=\"/live\"} 1030\n")
        .contains("floe_swarm_wire_bytes_down_total{mount=\"/live\"} 5120\n")
        .contains("floe_swarm_origin_share{mount=\"/live\"} 0.125000\n")
        .contains("floe_swarm_lag_seconds{mount=\"/live\"} 8\n")
        .contains("floe_swarm_fallback{mount=\"/live\"} 0\n")
        .doesNotContain("floe_swarm_partners{mount=\"/b\"}");
  }

  @Test
  void failedRecordsAreCountedInEveryView() {
    SwarmStatus failing = new SwarmStatus("origin", "http://o.example:8000/live#floe=abc",
        List.of(), 1, 0, 8000, 0, 0, 0, 0, 0, false, 3, null, 7,
        "/live: swarm title at 9 not published: java.lang.IllegalStateException: <b>x</b>",
        0.875);
    MountStatus m = withSwarm(Fixtures.mount("/live", "Song"), failing);

    Map<String, Object> swarm = obj(obj(obj(obj(StrictJson.parse(StatusJson.render(
        Fixtures.server(), List.of(m)))).get("icestats")).get("source")).get("floe_swarm"));
    assertThat(((Number) swarm.get("errors")).longValue()).isEqualTo(7);
    assertThat(((Number) swarm.get("continuity_60s")).doubleValue()).isEqualTo(0.875);
    assertThat((String) swarm.get("last_error")).contains("title at 9 not published");
    assertThat(StatusPage.render(Fixtures.server(), List.of(m)))
        .contains("<dt>Swarm errors</dt><dd class=\"error\">7 records failed; latest: ")
        .contains("&lt;b&gt;x&lt;/b&gt;")
        .contains("87.50% of chunks in time over the last minute, 100.00% since start");
    assertThat(Metrics.render(new Metrics.Process(1, 1, 1, 1), List.of(m)))
        .contains("floe_swarm_errors_total{mount=\"/live\"} 7\n");
    assertThat(StatusPage.render(Fixtures.server(), List.of(withSwarm(m, PEER))))
        .doesNotContain("Swarm errors");
  }
}
