package dev.floe.icy.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.floe.icy.resume.FloePosition;

/**
 * {@link FloePosition#parse} and {@link FloePosition#parseWindow} on hostile header values: a
 * value or null, never an exception; what is accepted prints back to a value that parses to the
 * same thing, and a window is never inverted or negative.
 */
class FloePositionFuzzTest {

  @FuzzTest(maxDuration = "5s")
  void parse(FuzzedDataProvider data) {
    String value = data.consumeRemainingAsString();
    FloePosition p = FloePosition.parse(value);
    if (p != null) {
      assertThat(p.offset()).isNotNegative();
      assertThat(p.isAny() || p.epoch().matches("[0-9a-f]{16}")).isTrue();
      assertThat(FloePosition.parse(p.toString())).isEqualTo(p);
    }
    long[] w = FloePosition.parseWindow(value);
    if (w != null) {
      assertThat(w).hasSize(2);
      assertThat(w[0]).isNotNegative().isLessThanOrEqualTo(w[1]);
      assertThat(FloePosition.parseWindow(FloePosition.window(w[0], w[1]))).containsExactly(w);
    }
  }
}
