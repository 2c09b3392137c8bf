package dev.floe.proxy.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {
  @Test
  void everyFamilyHasHelpAndTypeAndOneSamplePerMount() {
    String text = Metrics.render(new Metrics.Process(1_700_000_000, 7, 12_345_678, 21),
        List.of(Fixtures.mount("/a", "One"), Fixtures.mount("/b", "Two")));
    assertThat(text).contains("# TYPE floe_listeners gauge\n")
        .contains("# HELP floe_listeners Listeners connected to the mount.\n")
        .contains("floe_connections 7\n").contains("floe_heap_used_bytes 12345678\n")
        .contains("floe_start_time_seconds 1700000000\n")
        .contains("floe_listeners{mount=\"/a\"} ").contains("floe_listeners{mount=\"/b\"} ");
    for (String line : text.split("\n")) {
      assertThat(line).matches("(# (HELP|TYPE) [a-z_]+ .+)|([a-z_]+(\\{mount=\"[^\"]*\"\\})? "
          + "-?[0-9.e+]+|NaN)");
    }
    long types = text.lines().filter(l -> l.startsWith("# TYPE")).count();
    long helps = text.lines().filter(l -> l.startsWith("# HELP")).count();
    assertThat(types).isEqualTo(helps).isGreaterThan(10);
    assertThat(text.lines().filter(l -> l.startsWith("# TYPE") && l.endsWith("counter")))
        .allMatch(l -> l.split(" ")[2].endsWith("_total"));
  }

  @Test
  void hlsListenersArePerMount() {
    String text = Metrics.render(new Metrics.Process(1, 1, 1, 1), List.of(
        Fixtures.withHlsListeners(Fixtures.mount("/a", "One"), 3), Fixtures.mount("/b", "Two")));
    assertThat(text).contains("# TYPE floe_hls_listeners gauge\n")
        .contains("floe_hls_listeners{mount=\"/a\"} 3\n")
        .contains("floe_hls_listeners{mount=\"/b\"} 0\n");
    assertThat(StatusJson.render(Fixtures.server(),
        List.of(Fixtures.withHlsListeners(Fixtures.mount("/a", "One"), 3))))
        .contains("\"floe_hls_listeners\":3,");
    assertThat(StatusPage.render(Fixtures.server(),
        List.of(Fixtures.withHlsListeners(Fixtures.mount("/a", "One"), 3))))
        .contains("<dt>HLS listeners</dt><dd class=\"hls-listeners\">3</dd>");
  }

  @Test
  void numbersAreIntegersWhenWhole() {
    assertThat(Metrics.number(3)).isEqualTo("3");
    assertThat(Metrics.number(0.25)).isEqualTo("0.250000");
    assertThat(Metrics.number(Double.NaN)).isEqualTo("NaN");
    assertThat(Metrics.number(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
  }
}
