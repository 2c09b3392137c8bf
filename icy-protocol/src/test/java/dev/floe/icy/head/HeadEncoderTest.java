package dev.floe.icy.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HeadEncoderTest {
  static String str(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  @Test
  void icyResponse() {
    Headers h = Headers.builder().add("icy-metaint", "16000").add("icy-name", "Caf\u00c3\u00a9").build();
    assertThat(str(HeadEncoder.encode(new ResponseHead("ICY", 200, "", h))))
        .isEqualTo("ICY 200 OK\r\nicy-metaint: 16000\r\nicy-name: Caf\u00c3\u00a9\r\n\r\n");
    assertThat(str(HeadEncoder.encode(new ResponseHead("ICY", 200, "OK", Headers.EMPTY))))
        .isEqualTo("ICY 200 OK\r\n\r\n");
    assertThat(HeadEncoder.encode(new ResponseHead("ICY", 200, null, Headers.EMPTY)))
        .isEqualTo("ICY 200 OK\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void httpResponse() {
    Headers h = Headers.builder().add("Content-Type", "audio/mpeg").build();
    assertThat(str(HeadEncoder.encode(new ResponseHead("HTTP/1.0", 200, "OK", h))))
        .isEqualTo("HTTP/1.0 200 OK\r\nContent-Type: audio/mpeg\r\n\r\n");
    assertThat(str(HeadEncoder.encode(new ResponseHead("HTTP/1.1", 431, null, null))))
        .isEqualTo("HTTP/1.1 431 Request Header Fields Too Large\r\n\r\n");
    assertThat(str(HeadEncoder.encode(new ResponseHead("HTTP/1.1", 599, "", Headers.EMPTY))))
        .isEqualTo("HTTP/1.1 599 \r\n\r\n");
  }

  @Test
  void request() {
    Headers h = Headers.builder().add("Host", "x:8000").add("Icy-MetaData", "1").build();
    assertThat(str(HeadEncoder.encode(new RequestHead("GET", "/m?a=1", "HTTP/1.0", h))))
        .isEqualTo("GET /m?a=1 HTTP/1.0\r\nHost: x:8000\r\nIcy-MetaData: 1\r\n\r\n");
  }

  @Test
  void startLinePartsCannotInjectLines() {
    assertThatThrownBy(() -> HeadEncoder.encode(new RequestHead("GET", "/a b", "HTTP/1.0", null)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HeadEncoder.encode(new RequestHead("GET", "/a\r\nX: y", "HTTP/1.0", null)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HeadEncoder.encode(new RequestHead("", "/", "HTTP/1.0", null)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HeadEncoder.encode(new ResponseHead("HTTP/1.0", 200, "O\nK", null)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ResponseHead("HTTP/1.0", 42, "", null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
