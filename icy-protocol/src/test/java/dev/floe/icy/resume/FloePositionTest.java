package dev.floe.icy.resume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FloePositionTest {
  @Test
  void parsesAndFormatsRoundTrip() {
    FloePosition p = FloePosition.parse(" 5f3a9c0d12e4b7a8:1048576 ");
    assertThat(p.epoch()).isEqualTo("5f3a9c0d12e4b7a8");
    assertThat(p.offset()).isEqualTo(1048576L);
    assertThat(FloePosition.parse(p.toString())).isEqualTo(p);
    assertThat(FloePosition.parse("5F3A9C0D12E4B7A8:0").epoch()).isEqualTo("5f3a9c0d12e4b7a8");
  }

  @Test
  void starMeansAny() {
    assertThat(FloePosition.parse("*")).isSameAs(FloePosition.ANY);
    assertThat(FloePosition.ANY.isAny()).isTrue();
    assertThat(FloePosition.ANY.toString()).isEqualTo("*");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "abc", "5f3a9c0d12e4b7a8", "5f3a9c0d12e4b7a8:", ":12",
      "5f3a9c0d12e4b7a:1", "5f3a9c0d12e4b7a8x:1", "5f3a9c0d12e4b7a8:-1",
      "5f3a9c0d12e4b7a8:1234567890123456789", "5f3a9c0d12e4b7a8:1 2", "**"})
  void malformedValuesAreIgnored(String value) {
    assertThat(FloePosition.parse(value)).isNull();
  }

  @Test
  void newEpochsAreWellFormedAndDiffer() {
    String a = FloePosition.newEpoch();
    assertThat(a).matches("[0-9a-f]{16}");
    assertThat(FloePosition.newEpoch()).isNotEqualTo(a);
    assertThatThrownBy(() -> new FloePosition("XYZ", 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void windowRoundTrip() {
    assertThat(FloePosition.window(10, 20)).isEqualTo("10-20");
    assertThat(FloePosition.parseWindow("10-20")).containsExactly(10, 20);
    assertThat(FloePosition.parseWindow("20-10")).isNull();
    assertThat(FloePosition.parseWindow("x-1")).isNull();
    assertThat(FloePosition.parseWindow(null)).isNull();
  }
}
