package dev.floe.icy.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.icy.head.HeadException.Kind;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HeadDecoderErrorsTest {
  static ByteBuffer buf(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  static HeadException request(String raw) {
    return request(HeadLimits.DEFAULT, raw);
  }

  static HeadException request(HeadLimits limits, String raw) {
    try {
      Object r = new RequestHeadDecoder(limits).decode(buf(raw));
      throw new AssertionError("expected a HeadException, got " + r);
    } catch (HeadException e) {
      return e;
    }
  }

  static HeadException response(String raw) {
    try {
      Object r = new ResponseHeadDecoder(HeadLimits.DEFAULT).decode(buf(raw));
      throw new AssertionError("expected a HeadException, got " + r);
    } catch (HeadException e) {
      return e;
    }
  }

  @Test
  void statusOfEachKind() {
    assertThat(new HeadException(Kind.START_LINE_TOO_LONG, "x").status()).isEqualTo(414);
    assertThat(new HeadException(Kind.HEADER_LINE_TOO_LONG, "x").status()).isEqualTo(431);
    assertThat(new HeadException(Kind.TOO_MANY_HEADERS, "x").status()).isEqualTo(431);
    assertThat(new HeadException(Kind.HEAD_TOO_LARGE, "x").status()).isEqualTo(431);
    assertThat(new HeadException(Kind.MALFORMED_START_LINE, "x").status()).isEqualTo(400);
    assertThat(new HeadException(Kind.MALFORMED_HEADER, "x").status()).isEqualTo(400);
  }

  // --- START_LINE_TOO_LONG -------------------------------------------------------------------

  @Test
  void startLineTooLongTripsWithoutLineEnd() {
    RequestHeadDecoder d = new RequestHeadDecoder(HeadLimits.DEFAULT);
    ByteBuffer in = buf("GET /" + "a".repeat(10_000));
    assertThatThrownBy(() -> d.decode(in))
        .isInstanceOfSatisfying(
            HeadException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.START_LINE_TOO_LONG);
              assertThat(e.status()).isEqualTo(414);
              assertThat(e.getMessage()).isEqualTo("start line longer than 8192 bytes");
            });
    assertThat(in.position()).as("trips on the first byte past the limit").isEqualTo(8193);
  }

  @Test
  void startLineExactlyAtTheLimitIsAccepted() throws HeadException {
    HeadLimits limits = new HeadLimits(20, 10, 1000);
    String line = "GET /" + "a".repeat(20 - 5 - 9) + " HTTP/1.0"; // 20 bytes
    assertThat(line).hasSize(20);
    assertThat(new RequestHeadDecoder(limits).decode(buf(line + "\r\n\r\n"))).isNotNull();
    assertThat(request(limits, "GET /" + "a".repeat(7) + " HTTP/1.0\r\n\r\n").kind())
        .isEqualTo(Kind.START_LINE_TOO_LONG);
  }

  // --- HEADER_LINE_TOO_LONG ------------------------------------------------------------------

  @Test
  void endlessHeaderLineTripsBeforeMemoryGrows() throws HeadException {
    RequestHeadDecoder d = new RequestHeadDecoder(HeadLimits.DEFAULT);
    assertThat(d.decode(buf("GET / HTTP/1.1\r\nX-Endless: "))).isNull();
    byte[] chunk = "a".repeat(1000).getBytes(StandardCharsets.ISO_8859_1);
    long fed = 0;
    HeadException error = null;
    while (fed < 1_000_000) {
      ByteBuffer in = ByteBuffer.wrap(chunk);
      try {
        assertThat(d.decode(in)).isNull();
      } catch (HeadException e) {
        error = e;
        fed += in.position();
        break;
      }
      fed += chunk.length;
    }
    assertThat(error).isNotNull();
    assertThat(error.kind()).isEqualTo(Kind.HEADER_LINE_TOO_LONG);
    assertThat(error.status()).isEqualTo(431);
    assertThat(error.getMessage()).isEqualTo("header line longer than 8192 bytes");
    // "X-Endless: " is 11 bytes of the line: the limit trips at byte 8193 of the line.
    assertThat(fed).isEqualTo(8193 - 11);
  }

  @Test
  void longContinuationLineIsAHeaderLineTooLong() {
    HeadLimits limits = new HeadLimits(32, 10, 1000);
    HeadException e = request(limits, "GET / HTTP/1.1\r\nX: a\r\n " + "b".repeat(40) + "\r\n\r\n");
    assertThat(e.kind()).isEqualTo(Kind.HEADER_LINE_TOO_LONG);
    assertThat(e.getMessage()).isEqualTo("header line longer than 32 bytes");
  }

  @Test
  void lineOfExactlyTheLimitWithCrlfIsAccepted() throws HeadException {
    HeadLimits limits = new HeadLimits(16, 10, 1000);
    String header = "X-Sixteen: 12345"; // 16 bytes
    assertThat(header).hasSize(16);
    RequestHead r = new RequestHeadDecoder(limits).decode(buf("GET / HTTP/1.1\r\n" + header + "\r\n\r\n"));
    assertThat(r.headers().get("x-sixteen")).isEqualTo("12345");
    assertThat(request(limits, "GET / HTTP/1.1\r\n" + header + "6\r\n\r\n").kind())
        .isEqualTo(Kind.HEADER_LINE_TOO_LONG);
  }

  // --- TOO_MANY_HEADERS ----------------------------------------------------------------------

  @Test
  void headOfManySmallHeaders() {
    StringBuilder sb = new StringBuilder("GET / HTTP/1.1\r\n");
    for (int i = 0; i < 101; i++) {
      sb.append("X-").append(i).append(": v\r\n");
    }
    HeadException e = request(sb.append("\r\n").toString());
    assertThat(e.kind()).isEqualTo(Kind.TOO_MANY_HEADERS);
    assertThat(e.status()).isEqualTo(431);
    assertThat(e.getMessage()).isEqualTo("more than 100 headers");
  }

  @Test
  void exactlyMaxHeadersIsAcceptedAndContinuationsDoNotCount() throws HeadException {
    StringBuilder sb = new StringBuilder("GET / HTTP/1.1\r\n");
    for (int i = 0; i < 100; i++) {
      sb.append("X-").append(i).append(": v\r\n continued\r\n");
    }
    RequestHead r = new RequestHeadDecoder().decode(buf(sb.append("\r\n").toString()));
    assertThat(r.headers().size()).isEqualTo(100);
    assertThat(r.headers().get("X-99")).isEqualTo("v continued");
  }

  // --- HEAD_TOO_LARGE ------------------------------------------------------------------------

  @Test
  void headTooLarge() {
    StringBuilder sb = new StringBuilder("GET / HTTP/1.1\r\n");
    for (int i = 0; i < 90; i++) {
      sb.append("X-").append(i).append(": ").append("v".repeat(200)).append("\r\n");
    }
    HeadException e = request(sb.append("\r\n").toString());
    assertThat(e.kind()).isEqualTo(Kind.HEAD_TOO_LARGE);
    assertThat(e.status()).isEqualTo(431);
    assertThat(e.getMessage()).isEqualTo("head larger than 16384 bytes");
  }

  @Test
  void endlessBlankLinesBeforeTheStartLineAreBounded() {
    RequestHeadDecoder d = new RequestHeadDecoder(new HeadLimits(100, 10, 500));
    ByteBuffer in = buf("\r\n".repeat(1000));
    assertThatThrownBy(() -> d.decode(in))
        .isInstanceOfSatisfying(
            HeadException.class, e -> assertThat(e.kind()).isEqualTo(Kind.HEAD_TOO_LARGE));
    assertThat(in.position()).isEqualTo(501);
  }

  @Test
  void headOfExactlyTheLimitIsAccepted() throws HeadException {
    String head = "GET / HTTP/1.1\r\nA: b\r\n\r\n";
    HeadLimits limits = new HeadLimits(100, 10, head.length());
    assertThat(new RequestHeadDecoder(limits).decode(buf(head + "BODY"))).isNotNull();
    assertThat(request(new HeadLimits(100, 10, head.length() - 1), head).kind())
        .isEqualTo(Kind.HEAD_TOO_LARGE);
  }

  // --- MALFORMED_START_LINE ------------------------------------------------------------------

  @Test
  void garbageBinaryStartLine() {
    // The start of a TLS ClientHello.
    byte[] tls = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xFC, 0x03, 0x03};
    RequestHeadDecoder d = new RequestHeadDecoder();
    ByteBuffer in = ByteBuffer.wrap(tls);
    assertThatThrownBy(() -> d.decode(in))
        .isInstanceOfSatisfying(
            HeadException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.MALFORMED_START_LINE);
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.getMessage()).isEqualTo("control byte 0x16 in start line");
            });
    assertThat(in.position()).as("fails fast").isEqualTo(1);
  }

  @Test
  void highBinaryStartLineIsMalformed() {
    assertThat(request("\u00ff\u00fe\u00fd / HTTP/1.1\r\n\r\n").kind()).isEqualTo(Kind.MALFORMED_START_LINE);
  }

  @Test
  void startLineOfOnlyAMethod() {
    HeadException e = request("GET\r\n\r\n");
    assertThat(e.kind()).isEqualTo(Kind.MALFORMED_START_LINE);
    assertThat(e.getMessage()).contains("METHOD target VERSION");
  }

  @Test
  void startLineWithoutVersion() {
    assertThat(request("GET /stream\r\n\r\n").kind()).isEqualTo(Kind.MALFORMED_START_LINE);
  }

  @Test
  void startLineWithTooManyParts() {
    assertThat(request("GET /a b HTTP/1.1\r\n\r\n").kind()).isEqualTo(Kind.MALFORMED_START_LINE);
  }

  @Test
  void badVersions() {
    assertThat(request("GET / HTTP\r\n\r\n").kind()).isEqualTo(Kind.MALFORMED_START_LINE);
    assertThat(request("GET / HTTP/x.y\r\n\r\n").kind()).isEqualTo(Kind.MALFORMED_START_LINE);
    assertThat(request("GET / HTTP/1.\r\n\r\n").kind()).isEqualTo(Kind.MALFORMED_START_LINE);
    assertThat(request("GET / /1.0\r\n\r\n").kind()).isEqualTo(Kind.MALFORMED_START_LINE);
  }

  @Test
  void methodNotAToken() {
    assertThat(request("G(T / HTTP/1.1\r\n\r\n").kind()).isEqualTo(Kind.MALFORMED_START_LINE);
  }

  @Test
  void nulInStartLine() {
    assertThat(request("GET /a\u0000b HTTP/1.1\r\n\r\n").kind()).isEqualTo(Kind.MALFORMED_START_LINE);
  }

  @Test
  void bareCrInStartLine() {
    assertThat(request("GET /\rX HTTP/1.1\r\n\r\n").kind()).isEqualTo(Kind.MALFORMED_START_LINE);
  }

  @Test
  void malformedStatusLines() {
    assertThat(response("HTTP/1.1\r\n\r\n").kind()).isEqualTo(Kind.MALFORMED_START_LINE);
    assertThat(response("HTTP/1.1 abc OK\r\n\r\n").kind()).isEqualTo(Kind.MALFORMED_START_LINE);
    assertThat(response("HTTP/1.1 2000 OK\r\n\r\n").kind()).isEqualTo(Kind.MALFORMED_START_LINE);
    assertThat(response("FOO 200 OK\r\n\r\n").kind()).isEqualTo(Kind.MALFORMED_START_LINE);
    assertThat(response("<html>\r\n\r\n").kind()).isEqualTo(Kind.MALFORMED_START_LINE);
  }

  // --- MALFORMED_HEADER ----------------------------------------------------------------------

  @Test
  void headerWithoutColon() {
    HeadException e = request("GET / HTTP/1.1\r\nHost example.org\r\n\r\n");
    assertThat(e.kind()).isEqualTo(Kind.MALFORMED_HEADER);
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.getMessage()).isEqualTo("header line without a colon");
  }

  @Test
  void headerWithEmptyName() {
    HeadException e = request("GET / HTTP/1.1\r\n: value\r\n\r\n");
    assertThat(e.kind()).isEqualTo(Kind.MALFORMED_HEADER);
    assertThat(e.getMessage()).isEqualTo("header line with an empty name");
  }

  @Test
  void headerWithInvalidName() {
    assertThat(request("GET / HTTP/1.1\r\nBad Name: v\r\n\r\n").kind()).isEqualTo(Kind.MALFORMED_HEADER);
    assertThat(request("GET / HTTP/1.1\r\nHost : v\r\n\r\n").kind()).isEqualTo(Kind.MALFORMED_HEADER);
    assertThat(request("GET / HTTP/1.1\r\nX(y): v\r\n\r\n").kind()).isEqualTo(Kind.MALFORMED_HEADER);
  }

  @Test
  void controlBytesInHeaders() {
    assertThat(request("GET / HTTP/1.1\r\nX: a\u0000b\r\n\r\n").kind()).isEqualTo(Kind.MALFORMED_HEADER);
    assertThat(request("GET / HTTP/1.1\r\nX: a\u0001b\r\n\r\n").kind()).isEqualTo(Kind.MALFORMED_HEADER);
    assertThat(request("GET / HTTP/1.1\r\nX: a\u007fb\r\n\r\n").kind()).isEqualTo(Kind.MALFORMED_HEADER);
    assertThat(request("GET / HTTP/1.1\r\nX: a\rb\r\n\r\n").kind()).isEqualTo(Kind.MALFORMED_HEADER);
  }

  @Test
  void tabAndHighBytesInValuesAreAllowed() throws HeadException {
    RequestHead r = new RequestHeadDecoder().decode(buf("GET / HTTP/1.1\r\nX: a\tb \u00e9\u00ff\r\n\r\n"));
    assertThat(r.headers().get("x")).isEqualTo("a\tb \u00e9\u00ff");
  }

  @Test
  void continuationBeforeAnyHeader() {
    assertThat(request("GET / HTTP/1.1\r\n folded\r\n\r\n").kind()).isEqualTo(Kind.MALFORMED_HEADER);
  }

  // --- lifecycle -----------------------------------------------------------------------------

  @Test
  void afterAnErrorResetMakesItReusable() throws HeadException {
    RequestHeadDecoder d = new RequestHeadDecoder();
    assertThatThrownBy(() -> d.decode(buf("GET\r\n\r\n"))).isInstanceOf(HeadException.class);
    assertThatThrownBy(() -> d.decode(buf("GET / HTTP/1.1\r\n\r\n"))).isInstanceOf(IllegalStateException.class);
    d.reset();
    RequestHead r = d.decode(buf("GET / HTTP/1.1\r\n\r\n"));
    assertThat(r.method()).isEqualTo("GET");
  }

  @Test
  void afterAResultResetMakesItReusable() throws HeadException {
    RequestHeadDecoder d = new RequestHeadDecoder();
    ByteBuffer in = buf("GET /a HTTP/1.1\r\nA: 1\r\n\r\nGET /b HTTP/1.1\r\nB: 2\r\n\r\n");
    RequestHead a = d.decode(in);
    assertThatThrownBy(() -> d.decode(in)).isInstanceOf(IllegalStateException.class);
    d.reset();
    RequestHead b = d.decode(in);
    assertThat(a.target()).isEqualTo("/a");
    assertThat(a.headers().entries()).hasSize(1);
    assertThat(b.target()).isEqualTo("/b");
    assertThat(b.headers().get("A")).isNull();
    assertThat(b.headers().get("B")).isEqualTo("2");
    assertThat(in.hasRemaining()).isFalse();
  }

  @Test
  void resetMidHeadDropsWhatWasConsumed() throws HeadException {
    RequestHeadDecoder d = new RequestHeadDecoder();
    assertThat(d.decode(buf("GET /old HTTP/1.1\r\nOld: 1\r\nPart"))).isNull();
    d.reset();
    RequestHead r = d.decode(buf("PUT /new HTTP/1.1\r\n\r\n"));
    assertThat(r).isEqualTo(new RequestHead("PUT", "/new", "HTTP/1.1", Headers.EMPTY));
  }

  @Test
  void emptyBufferNeedsMore() throws HeadException {
    assertThat(new RequestHeadDecoder().decode(ByteBuffer.allocate(0))).isNull();
  }

  @Test
  void limitsMustBePositive() {
    assertThatThrownBy(() -> new HeadLimits(0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HeadLimits(1, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HeadLimits(1, 1, -1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(HeadLimits.DEFAULT).isEqualTo(new HeadLimits(8192, 100, 16384));
  }
}
