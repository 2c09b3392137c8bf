package dev.floe.proxy.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The test parser must reject what real strict parsers reject, or validity checks mean nothing. */
class StrictJsonTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"a\":1,}", "[1,]", "{\"a\":1", "{\"a\" 1}", "{'a':1}", "\"a\nb\"", "\"\\x\"",
      "01", "1.", "-", "+1", ".5", "1e", "nul", "{\"a\":1,\"a\":2}", "{} {}", "", "\"\\u12g4\"",
      "{\"icestats\":{\"host\":\"x\",}}"})
  void rejectsInvalidJson(String text) {
    assertThatThrownBy(() -> StrictJson.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parsesValidJson() {
    Object v = StrictJson.parse(
        " {\"a\":[1,-2.5e3,true,false,null],\"b\":{\"c\":\"\\u00e9\\n\\\"\"}} ");
    assertThat(v).isInstanceOf(Map.class);
    Map<String, Object> m = StrictJson.obj(v);
    assertThat(StrictJson.arr(m.get("a")))
        .containsExactly(new BigDecimal("1"), new BigDecimal("-2.5e3"), true, false, null);
    assertThat(StrictJson.obj(m.get("b")).get("c")).isEqualTo("é\n\"");
  }
}
