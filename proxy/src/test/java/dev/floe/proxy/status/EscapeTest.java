package dev.floe.proxy.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * The one set of escapers, character class by character class: controls, quotes, markup
 * characters, non-ASCII (in and beyond the BMP) and lone surrogates, with the exact output each
 * caller has always produced.
 */
class EscapeTest {
  private static final String MUSIC = "\uD83C\uDFB5"; // U+1F3B5, a surrogate pair

  private static String appended(BiConsumer<StringBuilder, String> escaper, String s) {
    StringBuilder sb = new StringBuilder();
    escaper.accept(sb, s);
    return sb.toString();
  }

  @Test
  void jsonEscapesQuotesBackslashesControlsAndLineSeparators() {
    assertThat(appended(Escape::json, "")).isEqualTo("\"\"");
    assertThat(appended(Escape::json, "a\"b\\c/<&>'"))
        .isEqualTo("\"a\\\"b\\\\c/<&>'\"");
    assertThat(appended(Escape::json, "\u0000\u0001\t\n\r\u001f\u007f\u2028\u2029"))
        .isEqualTo("\"\\u0000\\u0001\\u0009\\u000a\\u000d\\u001f\\u007f\\u2028\\u2029\"");
  }

  @Test
  void jsonKeepsNonAsciiAndPairsAndReplacesLoneSurrogates() {
    assertThat(appended(Escape::json, "é" + MUSIC + "\u00ff")).isEqualTo("\"é" + MUSIC + "\u00ff\"");
    assertThat(appended(Escape::json, "a\uD800b\uDC00" + "\uDFB5\uD83C"))
        .isEqualTo("\"a\uFFFDb\uFFFD\uFFFD\uFFFD\"");
    assertThat(appended(Escape::json, "\uD83C")).isEqualTo("\"\uFFFD\"");
  }

  @Test
  void htmlAndXmlEscapeMarkupAndQuotesAndKeepUtf8() {
    String in = "<a href=\"x\">Tom & Jerry's</a> é " + MUSIC;
    String out = "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt; é " + MUSIC;
    assertThat(Escape.html(in)).isEqualTo(out);
    assertThat(Escape.xml(in)).isEqualTo(out);
  }

  @Test
  void htmlAndXmlReplaceForbiddenCharactersAndLoneSurrogates() {
    String in = "\t\n\r|\u0000\u0001\u001f\u007f\uFFFE\uFFFF|\uD800|\uDC00|" + MUSIC;
    String out = "\t\n\r|\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD|\uFFFD|\uFFFD|" + MUSIC;
    assertThat(Escape.html(in)).isEqualTo(out);
    assertThat(Escape.xml(in)).isEqualTo(out);
  }

  @Test
  void icecastXmlIsAsciiWithHexReferences() {
    assertThat(appended(Escape::icecastXmlText, "<&>\"'\r\n\t é" + MUSIC + "\u00ff"))
        .isEqualTo("&lt;&amp;&gt;\"'&#13;\n\t &#xE9;&#x1F3B5;&#xFF;");
    assertThat(appended(Escape::icecastXmlAttribute, "<&>\"'\r\n\t é" + MUSIC + "\u00ff"))
        .isEqualTo("&lt;&amp;&gt;&quot;'&#13;&#10;&#9; &#xE9;&#x1F3B5;&#xFF;");
  }

  @Test
  void icecastXmlReplacesForbiddenCharactersAndLoneSurrogates() {
    String in = "\u0000\u0001\u001f|\u007f|\uD800\uFFFE\uFFFF|\uDC00";
    String out = "&#xFFFD;&#xFFFD;&#xFFFD;|\u007f|&#xFFFD;&#xFFFD;&#xFFFD;|&#xFFFD;";
    assertThat(appended(Escape::icecastXmlText, in)).isEqualTo(out);
    assertThat(appended(Escape::icecastXmlAttribute, in)).isEqualTo(out);
  }

  @Test
  void oneLineTurnsEveryLineBreakAndControlIntoASpace() {
    assertThat(Escape.oneLine("a\r\nb\tc\u0085d\u2028e\u2029f\u007fg\u0000h"))
        .isEqualTo("a  b c d e f g h");
    assertThat(Escape.oneLine("<&>\"' é" + MUSIC + "\uD800|\uDC00"))
        .isEqualTo("<&>\"' é" + MUSIC + "\uFFFD|\uFFFD");
  }

  @Test
  void errorPageTextEscapesOnlyTheFourMarkupCharacters() {
    assertThat(Escape.errorPageText("<b>\"x\" & 'y' é" + MUSIC))
        .isEqualTo("&lt;b&gt;&quot;x&quot; &amp; 'y' é" + MUSIC);
    assertThat(Escape.errorPageText("\u0001\r\n\uD800")).isEqualTo("\u0001\r\n\uD800");
  }

  @Test
  void prometheusLabelValuesEscapeBackslashQuoteAndLineFeedOnly() {
    assertThat(Escape.prometheusLabel("a\"b\\c\nd")).isEqualTo("a\\\"b\\\\c\\nd");
    assertThat(Escape.prometheusLabel("<&>' \r\t\u0001 é" + MUSIC + "\uD800"))
        .isEqualTo("<&>' \r\t\u0001 é" + MUSIC + "\uD800");
  }
}
