package dev.floe.buffer.frame;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.buffer.frame.OggComments.Tags;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Artist and title from Vorbis comments, OpusTags and FLAC's comment block, byte by byte. */
class OggCommentsTest {
  @Test
  void vorbisCommentsCaseInsensitiveKeysFirstValueWins() {
    byte[] p = OggHeaderRebuildTest.comments("\u0003vorbis", "artist=Björk", "TITLE=Jóga",
        "TITLE=second", "GENRE=x", "=novalue", "noequals");
    assertThat(OggComments.parse(p, false)).isEqualTo(new Tags("Björk", "Jóga"));
    assertThat(OggComments.parse(p, false).display()).isEqualTo("Björk - Jóga");
  }

  @Test
  void opusTagsAndFlacBlockAndSpeex() {
    assertThat(OggComments.parse(OggHeaderRebuildTest.comments("OpusTags", "TITLE=Only"),
        false).display()).isEqualTo("Only");
    byte[] flac = OggHeaderRebuildTest.comments("\u0004\0\0\0", "ARTIST=Band");
    assertThat(OggComments.parse(flac, false).display()).isEqualTo("Band");
    byte[] speex = OggHeaderRebuildTest.comments("", "TITLE=Speech");
    assertThat(OggComments.parse(speex, true).title()).isEqualTo("Speech");
    assertThat(OggComments.parse(speex, false)).isEqualTo(Tags.NONE);
  }

  @Test
  void everyTruncationIsSafeAndGivesAPrefixOfTheFields() {
    byte[] p = OggHeaderRebuildTest.comments("\u0003vorbis", "ARTIST=A", "TITLE=T");
    for (int n = 0; n <= p.length; n++) {
      Tags t = OggComments.parse(Arrays.copyOf(p, n), false);
      assertThat(t.title() == null || t.title().equals("T")).isTrue();
      assertThat(t.artist() == null || t.artist().equals("A")).isTrue();
    }
    // lengths that point past the end, or are huge
    byte[] bad = p.clone();
    bad[7] = (byte) 0xFF;
    bad[10] = (byte) 0x7F;
    assertThat(OggComments.parse(bad, false)).isEqualTo(Tags.NONE);
  }

  @Test
  void headerCountsByCodec() {
    assertThat(OggHeaders.headerCount("\u0001vorbis....".getBytes(
        java.nio.charset.StandardCharsets.ISO_8859_1))).isEqualTo(3);
    assertThat(OggHeaders.headerCount("OpusHead...".getBytes(
        java.nio.charset.StandardCharsets.ISO_8859_1))).isEqualTo(2);
    byte[] flac = {0x7F, 'F', 'L', 'A', 'C', 1, 0, 0, 2};
    assertThat(OggHeaders.headerCount(flac)).isEqualTo(3);
    assertThat(OggHeaders.headerCount(new byte[] {1, 2, 3})).isEqualTo(-1);
  }
}
