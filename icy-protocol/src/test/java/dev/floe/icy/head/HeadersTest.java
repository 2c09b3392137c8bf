package dev.floe.icy.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HeadersTest {
  @Test
  void caseInsensitiveNamesKeepTheirCaseAndOrder() {
    Headers h = Headers.builder().add("Content-Type", "audio/mpeg").add("icy-br", "128").add("ICY-BR", "64").build();
    assertThat(h.get("content-type")).isEqualTo("audio/mpeg");
    assertThat(h.get("Icy-Br")).isEqualTo("128");
    assertThat(h.getAll("icy-br")).containsExactly("128", "64");
    assertThat(h.getAll("missing")).isEmpty();
    assertThat(h.get("missing")).isNull();
    assertThat(h.contains("CONTENT-TYPE")).isTrue();
    assertThat(h.contains("x")).isFalse();
    assertThat(h.size()).isEqualTo(3);
    assertThat(h.entries())
        .containsExactly(
            Map.entry("Content-Type", "audio/mpeg"), Map.entry("icy-br", "128"), Map.entry("ICY-BR", "64"));
  }

  @Test
  void setReplacesAllAtThePlaceOfTheFirst() {
    Headers h =
        Headers.builder()
            .add("A", "1")
            .add("X", "1")
            .add("B", "2")
            .add("x", "2")
            .set("X-New", "n")
            .set("x", "3")
            .build();
    assertThat(h.entries())
        .containsExactly(Map.entry("A", "1"), Map.entry("x", "3"), Map.entry("B", "2"), Map.entry("X-New", "n"));
  }

  @Test
  void removeRemovesAll() {
    Headers h = Headers.builder().add("A", "1").add("a", "2").add("B", "3").remove("A").build();
    assertThat(h.entries()).containsExactly(Map.entry("B", "3"));
    assertThat(Headers.builder().add("A", "1").remove("A").build()).isSameAs(Headers.EMPTY);
  }

  @Test
  void immutableAndToBuilderCopies() {
    Headers h = Headers.builder().add("A", "1").build();
    Headers h2 = h.toBuilder().add("B", "2").set("A", "x").build();
    assertThat(h.entries()).containsExactly(Map.entry("A", "1"));
    assertThat(h2.entries()).containsExactly(Map.entry("A", "x"), Map.entry("B", "2"));
    assertThatThrownBy(() -> h.entries().add(Map.entry("C", "3")))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> h.getAll("A").add("y")).isInstanceOf(UnsupportedOperationException.class);
    assertThat(Headers.EMPTY.size()).isZero();
    assertThat(Headers.EMPTY.entries()).isEmpty();
  }

  @Test
  void equalityIgnoresNameCase() {
    Headers a = Headers.builder().add("Host", "x").build();
    Headers b = Headers.builder().add("host", "x").build();
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(Headers.builder().add("Host", "X").build());
  }

  @Test
  void rejectsNamesThatAreNotTokensAndValuesThatCouldInjectLines() {
    assertThatThrownBy(() -> Headers.builder().add("", "v")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Headers.builder().add("A B", "v")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Headers.builder().add("A:", "v")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Headers.builder().add("A", "v\r\nX: y")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Headers.builder().set("A", "v\n")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Headers.builder().add("A", "\u0000")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Headers.builder().add(null, "v")).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Headers.builder().add("A", null)).isInstanceOf(NullPointerException.class);
    assertThat(Headers.builder().add("A", "tab\there \u00e9").build().get("a")).isEqualTo("tab\there \u00e9");
  }
}
