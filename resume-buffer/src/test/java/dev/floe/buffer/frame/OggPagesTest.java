package dev.floe.buffer.frame;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class OggPagesTest {

  /** The Ogg CRC bit by bit, straight from the spec: polynomial 0x04c11db7, no reflection. */
  static int bitwiseCrc(byte[] page) {
    int crc = 0;
    for (int i = 0; i < page.length; i++) {
      int v = (i >= 22 && i < 26) ? 0 : page[i] & 0xFF;
      crc ^= v << 24;
      for (int k = 0; k < 8; k++) {
        crc = (crc & 0x80000000) != 0 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
      }
    }
    return crc;
  }

  @Test
  void everyPageOfTheFixturesParsesWithItsLength() {
    for (String f : List.of("opus.ogg", "vorbis.ogg")) {
      byte[] d = Fixtures.load(f);
      for (Fixtures.Page p : Fixtures.oggPages(d, 0, d.length)) {
        byte[] page = Arrays.copyOfRange(d, p.offset(), p.offset() + p.length());
        int stored =
            (page[22] & 0xFF) | (page[23] & 0xFF) << 8 | (page[24] & 0xFF) << 16 | page[25] << 24;
        assertThat(bitwiseCrc(page)).isEqualTo(stored);
        assertThat(OggPages.crc(page, 0, page.length)).isEqualTo(stored);
        assertThat(OggPages.parse(d, p.offset(), d.length - p.offset())).isEqualTo(p.length());
        assertThat(OggPages.parse(page, 0, page.length - 1)).isEqualTo(OggPages.NEED_MORE);
        assertThat(OggPages.granule(d, p.offset())).isEqualTo(p.granule());
      }
    }
  }

  @Test
  void aFlippedBitIsCaught() {
    byte[] d = Fixtures.load("opus.ogg");
    Fixtures.Page p = Fixtures.oggPages(d, 0, d.length).get(3);
    for (int at : new int[] {p.offset() + 6, p.offset() + 30, p.offset() + p.length() - 1}) {
      byte[] copy = d.clone();
      copy[at] ^= 0x01;
      assertThat(OggPages.parse(copy, p.offset(), copy.length - p.offset()))
          .as("flip at " + at)
          .isEqualTo(OggPages.INVALID);
    }
  }

  @Test
  void partialCapturePatternNeedsMore() {
    byte[] b = {'O', 'g', 'g'};
    assertThat(OggPages.parse(b, 0, 3)).isEqualTo(OggPages.NEED_MORE);
    assertThat(OggPages.parse(new byte[] {'O', 'g', 'x'}, 0, 3)).isEqualTo(OggPages.INVALID);
  }
}
