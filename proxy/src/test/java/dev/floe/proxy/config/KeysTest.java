package dev.floe.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeysTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(nullValues = "none", value = {
      "burst-szie, burst-size",
      "burstSize, burst-size",
      "BURST_SIZE, burst-size",
      "bufer-size, buffer-size",
      "metaitn, metaint",
      "upstrems, upstreams",
      "user-agnet, user-agent",
      "buffer, none",
      "max, none",
      "completely-unrelated, none"})
  void shouldSuggestOnlyOneCloseKey(String typed, String expected) {
    assertThat(Keys.suggest(typed, Keys.known(Keys.Section.MOUNT))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} / {1} = {2}")
  @CsvSource({"abc, abc, 0", "abc, acb, 1", "abc, abd, 1", "abc, ab, 1", "kitten, sitting, 3"})
  void shouldCountSwapsAsOneEdit(String a, String b, int distance) {
    assertThat(Keys.distance(a, b)).isEqualTo(distance);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"65536, 64KiB", "1000, 1000", "0, 0", "4194304, 4MiB", "1073741824, 1GiB"})
  void shouldFormatSizesAsWritten(long bytes, String text) {
    assertThat(Units.bytes(bytes)).isEqualTo(text);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"PT3S, 3s", "PT0.1S, 100ms", "PT2M, 120s", "PT0.0000005S, 500ns"})
  void shouldFormatDurationsAsWritten(Duration duration, String text) {
    assertThat(Units.duration(duration)).isEqualTo(text);
  }
}
