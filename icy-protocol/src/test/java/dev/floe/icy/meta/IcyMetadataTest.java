package dev.floe.icy.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IcyMetadataTest {
  static byte[] latin1(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Parses a whole block (length byte first), checking its framing. */
  static IcyMetadata parseBlock(byte[] block) {
    int payload = (block[0] & 0xFF) * 16;
    assertThat(block).hasSize(1 + payload);
    return IcyMetadata.parse(block, 1, payload);
  }

  static String payloadText(byte[] block) {
    int end = block.length;
    while (end > 1 && block[end - 1] == 0) {
      end--;
    }
    return new String(block, 1, end - 1, StandardCharsets.UTF_8);
  }

  // --- encoding ------------------------------------------------------------------------------

  @Test
  void controlCharactersNeverReachAValueFromAnyConstructor() {
    String forged = "Artist\r\n12:00:00.000 WARN Floe: forged\u0000 - Ti\ttle\u0007\u007f\u2028end";
    String clean = "Artist  12:00:00.000 WARN Floe: forged - Ti tle end";
    assertThat(IcyMetadata.of(forged, "http://x/\n").title()).isEqualTo(clean);
    assertThat(IcyMetadata.of(forged, "http://x/\n").url()).isEqualTo("http://x/ ");
    assertThat(IcyMetadata.ofFields(Map.of("StreamTitle", forged)).title()).isEqualTo(clean);
    byte[] raw = latin1("StreamTitle='\u0000\u0000Hidden\r\nLine';");
    IcyMetadata parsed = IcyMetadata.parse(raw, 0, raw.length);
    assertThat(parsed.title()).isEqualTo("Hidden  Line");
    byte[] block = parsed.block();
    for (int i = 1; i < block.length; i++) { // after the length byte: text, then NUL padding
      if (block[i] != 0) {
        assertThat(block[i] & 0xff).isGreaterThanOrEqualTo(0x20);
      }
    }
    assertThat(new String(block, 1, block.length - 1, StandardCharsets.UTF_8))
        .startsWith("StreamTitle='Hidden  Line';");
    assertThat(IcyMetadata.clean("Caf\u00e9 \u201cq\u201d")).isEqualTo("Caf\u00e9 \u201cq\u201d");
  }

  @Test
  void emptyEncodesExactlyAsIcecastsInitialBlock() {
    byte[] icecast = "\001StreamTitle='';\0".getBytes(StandardCharsets.US_ASCII);
    assertThat(icecast).hasSize(17);
    assertThat(IcyMetadata.EMPTY.block()).isEqualTo(icecast);
    assertThat(IcyMetadata.EMPTY.text()).isEqualTo("StreamTitle='';");
    assertThat(IcyMetadata.EMPTY).isEqualTo(IcyMetadata.of("", null)).isEqualTo(IcyMetadata.of(null, null));
  }

  @Test
  void lengthByteIsCeilingOfTextOverSixteenWithNulPadding() {
    for (int titleLen = 0; titleLen < 100; titleLen++) {
      IcyMetadata m = IcyMetadata.of("t".repeat(titleLen), null);
      int textLen = 15 + titleLen;
      int units = (textLen + 15) / 16;
      byte[] b = m.block();
      assertThat(b[0] & 0xFF).as("L for text of %d", textLen).isEqualTo(units);
      assertThat(b).hasSize(1 + 16 * units);
      assertThat(Arrays.copyOfRange(b, 1, 1 + textLen)).isEqualTo(latin1(m.text()));
      for (int i = 1 + textLen; i < b.length; i++) {
        assertThat(b[i]).isZero();
      }
    }
  }

  @Test
  void blockIsUtf8() {
    IcyMetadata m = IcyMetadata.of("Caf\u00e9 \u263a", "http://x/");
    String text = "StreamTitle='Caf\u00e9 \u263a';StreamUrl='http://x/';";
    assertThat(m.text()).isEqualTo(text);
    assertThat(payloadText(m.block())).isEqualTo(text);
  }

  @Test
  void textOfExactlyMaxPayloadIsNotTruncated() {
    String title = "x".repeat(IcyMetadata.MAX_PAYLOAD - 15);
    IcyMetadata m = IcyMetadata.of(title, null);
    byte[] b = m.block();
    assertThat(b[0] & 0xFF).isEqualTo(255);
    assertThat(b).hasSize(1 + 4080);
    assertThat(b[4080]).isEqualTo((byte) ';');
    assertThat(parseBlock(b)).isEqualTo(m);
  }

  @Test
  void longerTextIsTruncatedToAWellFormedBlock() {
    String title = "y".repeat(5000);
    IcyMetadata m = IcyMetadata.of(title, "http://example.org/");
    byte[] b = m.block();
    assertThat(b[0] & 0xFF).isEqualTo(255);
    assertThat(b).hasSize(4081);
    String text = payloadText(b);
    assertThat(text).hasSize(4080).startsWith("StreamTitle='yyy").endsWith("yyy';");
    IcyMetadata back = parseBlock(b);
    assertThat(back.title()).isEqualTo("y".repeat(4080 - 15));
    assertThat(back.url()).as("fields after the cut one are dropped").isNull();
    // The metadata keeps the full values; only the block is cut.
    assertThat(m.title()).isEqualTo(title);
    assertThat(m.url()).isEqualTo("http://example.org/");
  }

  @Test
  void truncationKeepsWholeFieldsBeforeTheCutOne() {
    IcyMetadata m = IcyMetadata.of("Short", "http://x/" + "u".repeat(5000));
    IcyMetadata back = parseBlock(m.block());
    assertThat(back.title()).isEqualTo("Short");
    assertThat(back.url()).startsWith("http://x/uuu");
    assertThat(back.text().getBytes(StandardCharsets.UTF_8)).hasSize(4080);
  }

  @Test
  void truncationCutsAtAUtf8BoundaryForEveryAlignment() {
    for (String ch : new String[] {"\u00e9", "\u263a", "\ud83c\udfb5"}) {
      int width = ch.getBytes(StandardCharsets.UTF_8).length;
      for (int shift = 0; shift < 4; shift++) {
        String title = "a".repeat(shift) + ch.repeat(5000 / width);
        byte[] b = IcyMetadata.of(title, null).block();
        assertThat(b[0] & 0xFF).isEqualTo(255);
        int end = b.length;
        while (b[end - 1] == 0) {
          end--;
        }
        int textLen = end - 1;
        assertThat(textLen).isBetween(4080 - width + 1, 4080);
        // Valid UTF-8: parse reads it as UTF-8 (a broken sequence would fall back to Latin-1).
        IcyMetadata back = parseBlock(b);
        assertThat(title).startsWith(back.title());
        assertThat(back.title()).endsWith(ch);
        assertThat(back.text().getBytes(StandardCharsets.UTF_8)).hasSize(textLen);
      }
    }
  }

  @Test
  void truncateUtf8Helper() {
    byte[] e = "\u00e9\u00e9".getBytes(StandardCharsets.UTF_8); // C3 A9 C3 A9
    assertThat(IcyMetadata.truncateUtf8(e, 3)).hasSize(2);
    assertThat(IcyMetadata.truncateUtf8(e, 2)).hasSize(2);
    assertThat(IcyMetadata.truncateUtf8(e, 1)).isEmpty();
    assertThat(IcyMetadata.truncateUtf8(e, 4)).hasSize(4);
    assertThat(IcyMetadata.truncateUtf8(e, 10)).hasSize(4);
  }

  @Test
  void ofFieldsKeepsOrderAndRejectsNulls() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("StreamUrl", "u");
    f.put("StreamTitle", "t");
    IcyMetadata m = IcyMetadata.ofFields(f);
    assertThat(m.text()).isEqualTo("StreamUrl='u';StreamTitle='t';");
    f.put("StreamTitle", "changed");
    assertThat(m.title()).as("copied").isEqualTo("t");
    f.put("X", null);
    assertThatThrownBy(() -> IcyMetadata.ofFields(f)).isInstanceOf(NullPointerException.class);
  }

  // --- parsing -------------------------------------------------------------------------------

  @Test
  void roundTrips() {
    IcyMetadata[] all = {
      IcyMetadata.EMPTY,
      IcyMetadata.of("Artist - Title", null),
      IcyMetadata.of("Artist - Title", "http://example.org/cover.jpg"),
      IcyMetadata.of("Rock'n'Roll; Live", "http://x/?a=1;b=2"),
      IcyMetadata.of("It's ';' here';", "'"),
      IcyMetadata.of("Bj\u00f6rk \u2013 J\u00f3ga \ud83c\udfb5", null),
      IcyMetadata.ofFields(Map.of("StreamTitle", "")),
    };
    for (IcyMetadata m : all) {
      assertThat(parseBlock(m.block())).as(m.text()).isEqualTo(m);
      assertThat(IcyMetadata.parse(m.text())).as(m.text()).isEqualTo(m);
    }
  }

  @Test
  void valuesWithQuotesAndSemicolons() {
    IcyMetadata m = IcyMetadata.parse("StreamTitle='Rock'n'Roll; Live';StreamUrl='http://x/?a=1;b=2';");
    assertThat(m.fields())
        .containsExactly(
            Map.entry("StreamTitle", "Rock'n'Roll; Live"), Map.entry("StreamUrl", "http://x/?a=1;b=2"));
  }

  @Test
  void quoteSemicolonInsideAValueThatIsNotFollowedByAKey() {
    IcyMetadata m = IcyMetadata.parse("StreamTitle='a';b c';StreamUrl='u';");
    assertThat(m.fields()).containsExactly(Map.entry("StreamTitle", "a';b c"), Map.entry("StreamUrl", "u"));
  }

  @Test
  void latin1FallbackAndUtf8() {
    byte[] latin = latin1("StreamTitle='Caf\u00e9';");
    assertThat(latin[16]).isEqualTo((byte) 0xE9);
    assertThat(IcyMetadata.parse(latin, 0, latin.length).title()).isEqualTo("Caf\u00e9");
    byte[] utf8 = "StreamTitle='Caf\u00e9';".getBytes(StandardCharsets.UTF_8);
    assertThat(Arrays.copyOfRange(utf8, 16, 18)).containsExactly(0xC3, 0xA9);
    assertThat(IcyMetadata.parse(utf8, 0, utf8.length).title()).isEqualTo("Caf\u00e9");
  }

  @Test
  void trailingNulsWhitespaceAndOffsets() {
    byte[] buf = latin1("junkStreamTitle='A - B';\r\n\0\0\0junk");
    IcyMetadata m = IcyMetadata.parse(buf, 4, buf.length - 8);
    assertThat(m.fields()).containsExactly(Map.entry("StreamTitle", "A - B"));
    assertThatThrownBy(() -> IcyMetadata.parse(buf, 4, buf.length)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void missingFinalSemicolonAndQuote() {
    assertThat(IcyMetadata.parse("StreamTitle='A';StreamUrl='u'").fields())
        .containsExactly(Map.entry("StreamTitle", "A"), Map.entry("StreamUrl", "u"));
    assertThat(IcyMetadata.parse("StreamTitle='A' \n").title()).isEqualTo("A");
    assertThat(IcyMetadata.parse("StreamTitle='cut of").title()).isEqualTo("cut of");
  }

  @Test
  void whitespaceBetweenFields() {
    assertThat(IcyMetadata.parse(" StreamTitle='A'; StreamUrl='u';").fields())
        .containsExactly(Map.entry("StreamTitle", "A"), Map.entry("StreamUrl", "u"));
  }

  @Test
  void textWithoutKeyIsAllTitle() {
    assertThat(IcyMetadata.parse("Artist - Title").fields()).containsExactly(Map.entry("StreamTitle", "Artist - Title"));
    assertThat(IcyMetadata.parse("Title='x' is not a key='").fields())
        .containsExactly(Map.entry("Title", "x' is not a key="));
    assertThat(IcyMetadata.parse("- StreamTitle='x';").title()).isEqualTo("- StreamTitle='x';");
    assertThat(IcyMetadata.parse("")).isEqualTo(IcyMetadata.EMPTY);
    byte[] nuls = new byte[32];
    assertThat(IcyMetadata.parse(nuls, 0, 32)).isEqualTo(IcyMetadata.EMPTY);
  }

  @Test
  void otherKeysAndFirstValueWins() {
    IcyMetadata m = IcyMetadata.parse("StreamTitle='a';StreamTitle='b';adw_ad='true';durationMilliseconds='30000';");
    assertThat(m.fields())
        .containsExactly(
            Map.entry("StreamTitle", "a"), Map.entry("adw_ad", "true"), Map.entry("durationMilliseconds", "30000"));
  }
}
