package dev.floe.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class IcyStreamParserTest {
  private static final int METAINT = 40;

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String head(int metaint) {
    return "HTTP/1.0 200 OK\r\n"
        + "Content-Type: audio/mpeg\r\n"
        + "icy-name: test\r\n"
        + "icy-metaint: " + metaint + "\r\n"
        + "\r\n";
  }

  /** A metadata block the way Icecast builds it: text + NUL, rounded up to 16. */
  private static byte[] block(String text) {
    if (text.isEmpty()) {
      return new byte[] {0};
    }
    byte[] t = ascii(text);
    int len = (t.length + 1 + 15) / 16 * 16;
    byte[] b = new byte[1 + len];
    b[0] = (byte) (len / 16);
    System.arraycopy(t, 0, b, 1, t.length);
    return b;
  }

  private static byte[] audio(int n, int seed) {
    byte[] a = new byte[n];
    for (int i = 0; i < n; i++) {
      a[i] = (byte) (i * 31 + seed);
    }
    return a;
  }

  /** Head, then audio/metadata alternation with three titles and empty blocks. */
  private static byte[] goodStream() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(ascii(head(METAINT)));
    String[] metas = {
      "StreamTitle='';",
      "",
      "StreamTitle='Guns N' Roses - Live';StreamUrl='http://x/';",
      "",
      "StreamTitle='exactly sixteen.';",
    };
    for (int i = 0; i < metas.length; i++) {
      out.writeBytes(audio(METAINT, i));
      out.writeBytes(block(metas[i]));
    }
    out.writeBytes(audio(METAINT / 2, 99));
    return out.toByteArray();
  }

  private static IcyStreamParser feedSplit(byte[] s, boolean metadata, int... cuts) {
    IcyStreamParser p = new IcyStreamParser(metadata);
    int from = 0;
    for (int cut : cuts) {
      p.feed(ByteBuffer.wrap(s, from, cut - from));
      from = cut;
    }
    p.feed(ByteBuffer.wrap(s, from, s.length - from));
    return p;
  }

  @Test
  void parsesAWholeStreamSplitAtEveryPosition() {
    byte[] s = goodStream();
    long expectedAudio = 5L * METAINT + METAINT / 2;
    for (int cut = 0; cut <= s.length; cut++) {
      IcyStreamParser p = feedSplit(s, true, cut);
      assertThat(p.failed()).as("cut at %d: %s", cut, p.error()).isFalse();
      assertThat(p.audioBytes()).as("cut at %d", cut).isEqualTo(expectedAudio);
      assertThat(p.metadataBlocks()).isEqualTo(5);
      assertThat(p.nonEmptyMetadataBlocks()).isEqualTo(3);
      assertThat(p.lastMetadata()).isEqualTo("StreamTitle='exactly sixteen.';");
      assertThat(p.metaint()).isEqualTo(METAINT);
      assertThat(p.statusCode()).isEqualTo(200);
      assertThat(p.contentType()).isEqualTo("audio/mpeg");
      assertThat(p.state()).isEqualTo(IcyStreamParser.State.AUDIO);
    }
  }

  @Test
  void parsesAStreamOneByteAtATimeAndReturnsAudioCounts() {
    byte[] s = goodStream();
    IcyStreamParser p = new IcyStreamParser(true);
    long audio = 0;
    for (byte b : s) {
      audio += p.feed(ByteBuffer.wrap(new byte[] {b}));
    }
    assertThat(p.failed()).as(p.error()).isFalse();
    assertThat(audio).isEqualTo(p.audioBytes()).isEqualTo(5L * METAINT + METAINT / 2);
    assertThat(p.headBytes()).isEqualTo(head(METAINT).length());
  }

  @Test
  void acceptsIcyStatusLineAndNoMetadataMode() {
    byte[] s = ascii("ICY 200 OK\r\nicy-name: x\r\n\r\nabcdef");
    IcyStreamParser p = feedSplit(s, false, 5);
    assertThat(p.failed()).as(p.error()).isFalse();
    assertThat(p.audioBytes()).isEqualTo(6);
    assertThat(p.metadataBlocks()).isZero();
  }

  @Test
  void acceptsHttp11AndABareStatusCode() {
    IcyStreamParser p = feedSplit(ascii("HTTP/1.1 200\r\nicy-metaint: 4\r\n\r\nabcd\0ef"), true);
    assertThat(p.failed()).as(p.error()).isFalse();
    assertThat(p.audioBytes()).isEqualTo(6);
  }

  private static void assertFailsAtEverySplit(byte[] s, boolean metadata,
      IcyStreamParser.ErrorKind kind, String fragment) {
    for (int cut = 0; cut <= s.length; cut++) {
      IcyStreamParser p = feedSplit(s, metadata, cut);
      assertThat(p.failed()).as("cut at %d", cut).isTrue();
      assertThat(p.state()).isEqualTo(IcyStreamParser.State.FAILED);
      assertThat(p.errorKind()).as("cut at %d", cut).isEqualTo(kind);
      assertThat(p.error()).as("cut at %d", cut).contains(fragment);
    }
  }

  private static byte[] streamWithBlock(byte[] block) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(ascii(head(METAINT)));
    out.writeBytes(audio(METAINT, 1));
    out.writeBytes(block);
    out.writeBytes(audio(METAINT, 2));
    return out.toByteArray();
  }

  @Test
  void rejectsNonNulPadding() {
    byte[] b = block("StreamTitle='a';");
    b[b.length - 1] = ' ';
    assertFailsAtEverySplit(streamWithBlock(b), true, IcyStreamParser.ErrorKind.PARSE, "padding");
  }

  @Test
  void rejectsGarbageAfterNulPadding() {
    byte[] b = block("StreamTitle='abc';");
    b[b.length - 3] = 'x';
    assertFailsAtEverySplit(streamWithBlock(b), true, IcyStreamParser.ErrorKind.PARSE, "padding");
  }

  @Test
  void rejectsOversizedBlock() {
    byte[] text = ascii("StreamTitle='a';");
    byte[] b = new byte[1 + 48];
    b[0] = 3;
    System.arraycopy(text, 0, b, 1, text.length);
    assertFailsAtEverySplit(streamWithBlock(b), true, IcyStreamParser.ErrorKind.PARSE, "oversized");
  }

  @Test
  void rejectsAllNulBlockLongerThanOnePaddingUnit() {
    byte[] b = new byte[1 + 32];
    b[0] = 2;
    assertFailsAtEverySplit(streamWithBlock(b), true, IcyStreamParser.ErrorKind.PARSE, "oversized");
  }

  @Test
  void rejectsTextThatIsNotKeyValueFields() {
    assertFailsAtEverySplit(streamWithBlock(block("StreamTitle=nope;")), true,
        IcyStreamParser.ErrorKind.PARSE, "expected =' after key");
    assertFailsAtEverySplit(streamWithBlock(block("StreamTitle='open")), true,
        IcyStreamParser.ErrorKind.PARSE, "unterminated");
    assertFailsAtEverySplit(streamWithBlock(block("\u00ffMP3 frame bytes")), true,
        IcyStreamParser.ErrorKind.PARSE, "expected a key");
  }

  @Test
  void rejectsMisalignedStream() {
    // The server sends 41 audio bytes instead of 40: the parser reads an audio byte as L.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(ascii(head(METAINT)));
    byte[] a = new byte[METAINT + 1];
    Arrays.fill(a, (byte) 0x41);
    out.writeBytes(a);
    out.writeBytes(block("StreamTitle='x';"));
    out.writeBytes(audio(2000, 3));
    assertFailsAtEverySplit(out.toByteArray(), true, IcyStreamParser.ErrorKind.PARSE, "metadata");
  }

  @Test
  void rejectsBadStatusLines() {
    for (String status : new String[] {
        "HTTP/2 200 OK", "HTTP/1.0 2OO OK", "HTTP/1.0 200OK", "ICY200 OK", "SOURCE /live ICE/1.0",
        "http/1.0 200 OK", " HTTP/1.0 200 OK"}) {
      byte[] s = ascii(status + "\r\nicy-metaint: 8\r\n\r\n12345678\0");
      assertFailsAtEverySplit(s, true, IcyStreamParser.ErrorKind.PARSE, "bad status line");
    }
  }

  @Test
  void reportsNon200Separately() {
    assertFailsAtEverySplit(ascii("HTTP/1.0 404 File Not Found\r\n\r\n"), true,
        IcyStreamParser.ErrorKind.NON_200, "404");
    assertFailsAtEverySplit(ascii("ICY 401 Unauthorized\r\n\r\n"), true,
        IcyStreamParser.ErrorKind.NON_200, "401");
  }

  @Test
  void rejectsBareLineFeedsAndMalformedHeaders() {
    assertFailsAtEverySplit(ascii("HTTP/1.0 200 OK\nicy-metaint: 8\n\n"), true,
        IcyStreamParser.ErrorKind.PARSE, "bare LF");
    assertFailsAtEverySplit(ascii("HTTP/1.0 200 OK\r\nicy-metaint 8\r\n\r\n"), true,
        IcyStreamParser.ErrorKind.PARSE, "malformed header");
    assertFailsAtEverySplit(ascii("HTTP/1.0 200 OK\r\nicy-metaint: 8\rx\r\n\r\n"), true,
        IcyStreamParser.ErrorKind.PARSE, "bare CR");
  }

  @Test
  void rejectsMissingUnexpectedOrBadMetaint() {
    assertFailsAtEverySplit(ascii("HTTP/1.0 200 OK\r\nicy-name: x\r\n\r\naudio"), true,
        IcyStreamParser.ErrorKind.PARSE, "icy-metaint missing");
    assertFailsAtEverySplit(ascii("HTTP/1.0 200 OK\r\nicy-metaint: 8\r\n\r\naudio"), false,
        IcyStreamParser.ErrorKind.PARSE, "not requested");
    assertFailsAtEverySplit(ascii("HTTP/1.0 200 OK\r\nicy-metaint: 0\r\n\r\n"), true,
        IcyStreamParser.ErrorKind.PARSE, "out of range");
    assertFailsAtEverySplit(ascii("HTTP/1.0 200 OK\r\nicy-metaint: x\r\n\r\n"), true,
        IcyStreamParser.ErrorKind.PARSE, "not a number");
  }

  @Test
  void rejectsHeadLongerThan16KiB() {
    StringBuilder sb = new StringBuilder("HTTP/1.0 200 OK\r\nicy-metaint: 8\r\n");
    while (sb.length() <= IcyStreamParser.MAX_HEAD) {
      sb.append("X-Filler: 0123456789012345678901234567890123456789\r\n");
    }
    sb.append("\r\n");
    IcyStreamParser p = feedSplit(ascii(sb.toString()), true, 1000);
    assertThat(p.failed()).isTrue();
    assertThat(p.error()).contains("head longer than");
  }

  @Test
  void acceptsAHeadOfExactly16KiB() {
    StringBuilder sb = new StringBuilder("HTTP/1.0 200 OK\r\nicy-metaint: 8\r\nX-Pad: ");
    int target = IcyStreamParser.MAX_HEAD - 4;
    while (sb.length() < target) {
      sb.append('a');
    }
    sb.append("\r\n\r\n");
    assertThat(sb.length()).isEqualTo(IcyStreamParser.MAX_HEAD);
    IcyStreamParser p = feedSplit(ascii(sb + "12345678\0"), true, 4096);
    assertThat(p.failed()).as(p.error()).isFalse();
    assertThat(p.audioBytes()).isEqualTo(8);
  }

  @Test
  void ignoresInputAfterFailure() {
    IcyStreamParser p = feedSplit(ascii("HTTP/9 200\r\n"), true);
    assertThat(p.failed()).isTrue();
    ByteBuffer more = ByteBuffer.wrap(ascii("HTTP/1.0 200 OK\r\n"));
    assertThat(p.feed(more)).isZero();
    assertThat(more.hasRemaining()).isFalse();
    assertThat(p.error()).contains("bad status line");
  }
}
