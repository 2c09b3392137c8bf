package dev.floe.proxy.hls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.proxy.status.HlsOffloadStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HlsOffloadTest {
  @Test
  void measuredAndReportedBytesAddUpPerMount() {
    HlsOffload o = new HlsOffload();
    assertThat(o.status("/a")).isEqualTo(new HlsOffloadStatus(0, 0, 0, 0, 0, 0, List.of()));
    assertThat(o.status("/a").offload()).isZero();
    o.servedHttp("/a", 1000);
    o.servedHttp("/a", 0);
    o.servedHttp("/b", 7);
    o.reported("/a", new OffloadReport(20, 500, 3000, 1, List.of("p1")));
    o.reported("/a", new OffloadReport(20, 500, 0, 0, List.of()));
    o.refused("/a");
    HlsOffloadStatus a = o.status("/a");
    assertThat(a).isEqualTo(new HlsOffloadStatus(1000, 3000, 1000, 1, 2, 1, List.of("p1")));
    assertThat(a.offload()).isEqualTo(0.75);
    assertThat(o.status("/b").httpBytes()).isEqualTo(7);
    assertThat(o.status("/b").offload()).isZero();
  }

  @Test
  void countersStopAtTheLargestLongInsteadOfWrapping() {
    HlsOffload o = new HlsOffload();
    o.servedHttp("/a", Long.MAX_VALUE - 1);
    o.servedHttp("/a", 1);
    assertThat(o.status("/a").httpBytes()).isEqualTo(Long.MAX_VALUE);
    o.servedHttp("/a", 5);
    assertThat(o.status("/a").httpBytes()).isEqualTo(Long.MAX_VALUE);
    for (int i = 0; i < 10; i++) {
      o.reported("/a", new OffloadReport(1, OffloadReport.MAX_COUNT, Long.MAX_VALUE / 4, 0,
          List.of()));
    }
    assertThat(o.status("/a").peerBytes()).isEqualTo(Long.MAX_VALUE);
    assertThat(o.status("/a").offload()).isEqualTo(0.5);
    AtomicLong c = new AtomicLong(Long.MAX_VALUE);
    HlsOffload.add(c, -5); // never subtracts
    assertThat(c.get()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void theNewestSixteenOffendersAreKept() {
    HlsOffload o = new HlsOffload();
    List<String> want = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      o.reported("/a", new OffloadReport(1, 0, 0, 1, List.of("p" + i)));
    }
    for (int i = 24; i < 40; i++) {
      want.add("p" + i);
    }
    assertThat(o.status("/a").offenders()).containsExactlyElementsOf(want);
    o.reported("/a", new OffloadReport(1, 0, 0, 1, List.of("p24"))); // seen again: newest
    assertThat(o.status("/a").offenders()).hasSize(HlsOffload.MAX_OFFENDERS)
        .endsWith("p24").startsWith("p25");
  }
}
