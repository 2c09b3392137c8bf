package dev.floe.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EscapedMessageTest {
  @Test
  void controlCharactersPrintEscapedSoAnEventStaysOneLine() {
    assertThat(EscapedMessage.escape("/live: title \"a\r\n12:00 WARN x\u0000\u001b[31m\u2028\""))
        .isEqualTo("/live: title \"a\\r\\n12:00 WARN x\\x00\\x1B[31m\\u2028\"");
    assertThat(EscapedMessage.escape("tab\there")).isEqualTo("tab\\there");
    String clean = "/live: listener 3 joined from 10.0.0.1 (VLC/3.0 caf\u00e9)";
    assertThat(EscapedMessage.escape(clean)).isSameAs(clean);
    assertThat(EscapedMessage.escape(null)).isEqualTo("null");
  }
}
