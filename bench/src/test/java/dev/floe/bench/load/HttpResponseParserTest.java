package dev.floe.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** One response fed whole, and one byte at a time: the same result either way. */
class HttpResponseParserTest {
  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static HttpResponseParser whole(int keep, byte[] b) {
    HttpResponseParser p = new HttpResponseParser(keep);
    p.feed(ByteBuffer.wrap(b));
    return p;
  }

  private static HttpResponseParser byteByByte(int keep, byte[] b) {
    HttpResponseParser p = new HttpResponseParser(keep);
    for (byte x : b) {
      p.feed(ByteBuffer.wrap(new byte[] {x}));
    }
    return p;
  }

  @Test
  void aPlaylistResponseWholeOrByteByByte() {
    byte[] r = bytes("HTTP/1.0 200 OK\r\nContent-Type: application/vnd.apple.mpegurl\r\n"
        + "content-length: 8\r\nCache-Control: max-age=1\r\n\r\n#EXTM3U\n");
    for (HttpResponseParser p : new HttpResponseParser[] {whole(1024, r), byteByByte(1024, r)}) {
      assertThat(p.failed()).as(p.error()).isFalse();
      assertThat(p.done()).isTrue();
      assertThat(p.status()).isEqualTo(200);
      assertThat(p.bodyBytes()).isEqualTo(8);
      assertThat(new String(p.body(), 0, p.kept(), StandardCharsets.UTF_8)).isEqualTo("#EXTM3U\n");
    }
  }

  @Test
  void notDoneUntilTheLastBodyByte() {
    byte[] r = bytes("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nab");
    HttpResponseParser p = whole(0, r);
    assertThat(p.headComplete()).isTrue();
    assertThat(p.done()).isFalse();
    p.endOfStream();
    assertThat(p.failed()).isTrue();
    assertThat(p.error()).isEqualTo("closed after 2 of 3 body bytes");
  }

  @Test
  void aBodyWithoutLengthEndsWithTheStream() {
    HttpResponseParser p = byteByByte(0, bytes("HTTP/1.0 200 OK\r\n\r\nabcdef"));
    assertThat(p.done()).isFalse();
    p.endOfStream();
    assertThat(p.done()).isTrue();
    assertThat(p.bodyBytes()).isEqualTo(6);
    assertThat(p.kept()).isZero();
  }

  @Test
  void theId3TagOfASegmentIsMeasured() {
    // ID3v2.4 header: size 0x00 0x00 0x01 0x7f = 255 syncsafe bytes
    byte[] head = bytes("HTTP/1.0 200 OK\r\nContent-Length: 300\r\n\r\n");
    byte[] r = new byte[head.length + 300];
    System.arraycopy(head, 0, r, 0, head.length);
    byte[] id3 = {'I', 'D', '3', 4, 0, 0, 0, 0, 1, 0x7f};
    System.arraycopy(id3, 0, r, head.length, id3.length);
    assertThat(whole(0, r).id3Length()).isEqualTo(10 + 255);
    assertThat(byteByByte(0, r).id3Length()).isEqualTo(10 + 255);
    r[head.length + 5] = 0x10; // footer present
    assertThat(whole(0, r).id3Length()).isEqualTo(10 + 255 + 10);
    r[head.length] = 'X';
    assertThat(whole(0, r).id3Length()).isZero();
  }

  @Test
  void aNon200IsReadAsSuch() {
    HttpResponseParser p = whole(0, bytes("HTTP/1.0 404 File Not Found\r\nContent-Length: 0\r\n\r\n"));
    assertThat(p.status()).isEqualTo(404);
    assertThat(p.done()).isTrue();
  }

  @Test
  void malformedResponsesFail() {
    assertThat(whole(0, bytes("ICY 200 OK\r\n\r\n")).error()).startsWith("bad status line");
    assertThat(whole(0, bytes("HTTP/1.0 2x0 OK\r\n\r\n")).error()).startsWith("bad status line");
    assertThat(whole(0, bytes("HTTP/1.0 200OK\r\n\r\n")).error()).startsWith("bad status line");
    assertThat(whole(0, bytes("HTTP/1.0 200 OK\r\nno colon\r\n\r\n")).error())
        .isEqualTo("bad head line: no colon");
    assertThat(whole(0, bytes("HTTP/1.0 200 OK\nA: b\r\n\r\n")).error())
        .isEqualTo("bare CR or LF in the head");
    assertThat(whole(0, bytes("HTTP/1.0 200 OK\r\nContent-Length: -1\r\n\r\n")).error())
        .isEqualTo("bad Content-Length: -1");
    assertThat(whole(0, bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")).error())
        .isEqualTo("Transfer-Encoding chunked is not supported");
    assertThat(whole(0, bytes("HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nab")).error())
        .isEqualTo("bytes after the end of the body");
    assertThat(whole(4, bytes("HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\n")).error())
        .isEqualTo("body of 5 bytes, longer than 4");
    assertThat(whole(4, bytes("HTTP/1.0 200 OK\r\n\r\nabcde")).error())
        .isEqualTo("body longer than 4 bytes");
    assertThat(whole(0, new byte[16 * 1024 + 1]).error()).startsWith("head longer than");
    HttpResponseParser early = whole(0, bytes("HTTP/1.0 200"));
    early.endOfStream();
    assertThat(early.error()).isEqualTo("closed before the end of the head (12 bytes)");
  }
}
