package dev.floe.buffer.frame;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MpegHeadersTest {

  static long parse(int... bytes) {
    byte[] b = new byte[bytes.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) bytes[i];
    }
    return MpegHeaders.parse(b, 0, b.length);
  }

  static int length(int... bytes) {
    long h = parse(bytes);
    assertThat(h).isPositive();
    return MpegHeaders.length(h);
  }

  @Test
  void mpeg1LayerIII() {
    assertThat(length(0xFF, 0xFB, 0x90, 0x64)).isEqualTo(417); // 128k 44.1k
    assertThat(length(0xFF, 0xFB, 0x92, 0x64)).isEqualTo(418); // padded
    assertThat(length(0xFF, 0xFB, 0xE4, 0x00)).isEqualTo(960); // 320k 48k
    assertThat(length(0xFF, 0xFA, 0x18, 0x00)).isEqualTo(144); // 32k 32k, CRC protected
  }

  @Test
  void mpeg2AndMpeg25LayerIII() {
    assertThat(length(0xFF, 0xF3, 0x80, 0xC4)).isEqualTo(208); // MPEG-2, 64k 22.05k
    assertThat(length(0xFF, 0xE3, 0x28, 0xC4)).isEqualTo(144); // MPEG-2.5, 16k 8k
  }

  @Test
  void layersIAndII() {
    assertThat(length(0xFF, 0xFD, 0x80, 0x00)).isEqualTo(417); // MPEG-1 layer II 128k 44.1k
    assertThat(length(0xFF, 0xFD, 0x90, 0x00)).isEqualTo(522); // layer II 160k (not layer III's)
    assertThat(length(0xFF, 0xFF, 0x90, 0x00)).isEqualTo(4 * 78); // layer I 288k 44.1k
    assertThat(length(0xFF, 0xFF, 0x92, 0x00)).isEqualTo(4 * 79); // padded by one 4-byte slot
    assertThat(length(0xFF, 0xF7, 0x90, 0x00)).isEqualTo(4 * 78); // MPEG-2 layer I 144k 22.05k
  }

  @Test
  void adts() {
    long h = parse(0xFF, 0xF1, 0x50, 0x40, 0x34, 0xFF, 0xFC);
    assertThat(MpegHeaders.length(h)).isEqualTo(423);
    long same = parse(0xFF, 0xF1, 0x50, 0x80, 0x2E, 0x9F, 0xFC);
    assertThat(MpegHeaders.length(same)).isEqualTo(372);
    assertThat(MpegHeaders.signature(same)).isEqualTo(MpegHeaders.signature(h));
    long otherRate = parse(0xFF, 0xF1, 0x4C, 0x40, 0x34, 0xFF, 0xFC);
    assertThat(MpegHeaders.signature(otherRate)).isNotEqualTo(MpegHeaders.signature(h));
    assertThat(parse(0xFF, 0xF1, 0x50, 0x40, 0x00, 0x1F, 0xFC)).isEqualTo(MpegHeaders.INVALID);
    assertThat(parse(0xFF, 0xF1, 0x50, 0x40, 0x34, 0xFF)).isEqualTo(MpegHeaders.NEED_MORE);
  }

  @Test
  void signaturesTellStreamsApart() {
    long mpeg1 = parse(0xFF, 0xFB, 0x90, 0x64);
    long mpeg1Other = parse(0xFF, 0xFB, 0xE0, 0x44); // another bitrate and mode: same stream
    long mpeg2 = parse(0xFF, 0xF3, 0x80, 0xC4);
    long mpeg1At48k = parse(0xFF, 0xFB, 0x94, 0x64);
    assertThat(MpegHeaders.signature(mpeg1)).isEqualTo(MpegHeaders.signature(mpeg1Other));
    assertThat(MpegHeaders.signature(mpeg1)).isNotEqualTo(MpegHeaders.signature(mpeg2));
    assertThat(MpegHeaders.signature(mpeg1)).isNotEqualTo(MpegHeaders.signature(mpeg1At48k));
  }

  @Test
  void rejectsWhatIsNoHeader() {
    assertThat(parse(0xFE, 0xFB, 0x90, 0x64)).isEqualTo(MpegHeaders.INVALID);
    assertThat(parse(0xFF, 0x1B, 0x90, 0x64)).isEqualTo(MpegHeaders.INVALID); // no sync
    assertThat(parse(0xFF, 0xEB, 0x90, 0x64)).isEqualTo(MpegHeaders.INVALID); // reserved version
    assertThat(parse(0xFF, 0xF9, 0x90, 0x64)).isNotEqualTo(MpegHeaders.INVALID); // that is ADTS
    assertThat(parse(0xFF, 0xE9, 0x90, 0x64)).isEqualTo(MpegHeaders.INVALID); // reserved layer
    assertThat(parse(0xFF, 0xFB, 0x00, 0x64)).isEqualTo(MpegHeaders.INVALID); // free format
    assertThat(parse(0xFF, 0xFB, 0xF0, 0x64)).isEqualTo(MpegHeaders.INVALID); // bad bitrate
    assertThat(parse(0xFF, 0xFB, 0x9C, 0x64)).isEqualTo(MpegHeaders.INVALID); // reserved rate
    assertThat(parse(0xFF, 0xFB, 0x90, 0x66)).isEqualTo(MpegHeaders.INVALID); // reserved emphasis
  }

  @Test
  void needsMoreOnlyWhileThePrefixFits() {
    assertThat(parse()).isEqualTo(MpegHeaders.NEED_MORE);
    assertThat(parse(0xFF)).isEqualTo(MpegHeaders.NEED_MORE);
    assertThat(parse(0xFF, 0xFB)).isEqualTo(MpegHeaders.NEED_MORE);
    assertThat(parse(0xFF, 0xFB, 0x90)).isEqualTo(MpegHeaders.NEED_MORE);
    assertThat(parse(0x12)).isEqualTo(MpegHeaders.INVALID);
    assertThat(parse(0xFF, 0x12)).isEqualTo(MpegHeaders.INVALID);
  }

  /** The bitrate from the test fixtures' own copy of the standard's table (ISO/IEC 11172-3). */
  private static int specKbps(int versionBits, int layerBits, int index) {
    int layer = 4 - layerBits;
    int table = versionBits == 3 ? layer - 1 : (layer == 1 ? 3 : 4);
    return Integer.parseInt(Fixtures.KBPS[table].split(" ")[index]);
  }

  private static int specRate(int versionBits, int rateIndex) {
    int[] mpeg1 = {44100, 48000, 32000};
    return mpeg1[rateIndex] / (versionBits == 3 ? 1 : versionBits == 2 ? 2 : 4);
  }

  @Test
  void everyBitrateOfEveryVersionAndLayerIsTheStandardsOne() {
    int checked = 0;
    for (int version : new int[] {0, 2, 3}) {
      for (int layer = 1; layer <= 3; layer++) {
        for (int index = 1; index <= 14; index++) {
          assertThat(MpegHeaders.bitrateKbps(version, layer, index))
              .as("version bits %d, layer bits %d, index %d", version, layer, index)
              .isEqualTo(specKbps(version, layer, index));
          checked++;
        }
      }
    }
    assertThat(checked).isEqualTo(3 * 3 * 14);
  }

  @Test
  void invalidFieldsHaveNoBitrateRateOrLength() {
    for (int layer = 0; layer <= 3; layer++) {
      for (int index = 0; index <= 15; index++) {
        assertThat(MpegHeaders.bitrateKbps(1, layer, index)).isZero(); // reserved version
      }
    }
    for (int version : new int[] {0, 2, 3}) {
      assertThat(MpegHeaders.bitrateKbps(version, 0, 9)).isZero(); // reserved layer
      assertThat(MpegHeaders.samplesPerFrame(version, 0)).isZero();
      for (int layer = 1; layer <= 3; layer++) {
        assertThat(MpegHeaders.bitrateKbps(version, layer, 0)).isZero(); // free format
        assertThat(MpegHeaders.bitrateKbps(version, layer, 15)).isZero(); // bad
        assertThat(MpegHeaders.frameLength(version, layer, 0, 0, 0)).isZero();
        assertThat(MpegHeaders.frameLength(version, layer, 15, 0, 0)).isZero();
        assertThat(MpegHeaders.frameLength(version, layer, 9, 3, 0)).isZero();
      }
      assertThat(MpegHeaders.sampleRate(version, 3)).isZero(); // reserved rate
    }
    assertThat(MpegHeaders.sampleRate(1, 0)).isZero();
    assertThat(MpegHeaders.samplesPerFrame(1, 1)).isZero();
    assertThat(MpegHeaders.bitrateKbps(4, 1, 1)).isZero();
    assertThat(MpegHeaders.bitrateKbps(3, 4, 1)).isZero();
    assertThat(MpegHeaders.bitrateKbps(3, 1, 16)).isZero();
    assertThat(MpegHeaders.sampleRate(-1, 0)).isZero();
    assertThat(MpegHeaders.adtsSampleRate(-1)).isZero();
  }

  @Test
  void sampleRatesAndSamplesPerFrame() {
    for (int version : new int[] {0, 2, 3}) {
      for (int rate = 0; rate <= 2; rate++) {
        assertThat(MpegHeaders.sampleRate(version, rate)).isEqualTo(specRate(version, rate));
      }
      assertThat(MpegHeaders.samplesPerFrame(version, 3)).isEqualTo(384);
      assertThat(MpegHeaders.samplesPerFrame(version, 2)).isEqualTo(1152);
      assertThat(MpegHeaders.samplesPerFrame(version, 1)).isEqualTo(version == 3 ? 1152 : 576);
    }
  }

  @Test
  void adtsSampleRatesByIndex() {
    int[] rates = {96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025,
        8000, 7350};
    for (int i = 0; i < 16; i++) {
      assertThat(MpegHeaders.adtsSampleRate(i)).as("index %d", i)
          .isEqualTo(i < rates.length ? rates[i] : 0);
    }
  }

  /**
   * Every 3-byte prefix an MPEG audio header can have (version, layer, bitrate, rate, padding):
   * the length {@link MpegHeaders#parse} reads from the bytes is the standard's, computed here
   * from samples per frame, and agrees with {@link MpegHeaders#frameLength}.
   */
  @Test
  void everyHeaderByteByByte() {
    int valid = 0;
    for (int b1 = 0xE0; b1 <= 0xFF; b1++) {
      int version = (b1 >> 3) & 3;
      int layer = (b1 >> 1) & 3;
      if (layer == 0) {
        continue; // ADTS or invalid: covered above
      }
      for (int b2 = 0; b2 <= 0xFF; b2++) {
        int index = b2 >> 4;
        int rate = (b2 >> 2) & 3;
        int padding = (b2 >> 1) & 1;
        long parsed = parse(0xFF, b1, b2, 0x00);
        int length = MpegHeaders.frameLength(version, layer, index, rate, padding);
        if (version == 1 || index == 0 || index == 15 || rate == 3) {
          assertThat(parsed).as("%02X %02X", b1, b2).isEqualTo(MpegHeaders.INVALID);
          assertThat(length).isZero();
          continue;
        }
        int bitsPerSecond = specKbps(version, layer, index) * 1000;
        int hz = specRate(version, rate);
        int expected = layer == 3
            ? (bitsPerSecond * 12 / hz + padding) * 4 // layer I: 4-byte slots
            : MpegHeaders.samplesPerFrame(version, layer) / 8 * bitsPerSecond / hz + padding;
        assertThat(MpegHeaders.length(parsed)).as("%02X %02X", b1, b2).isEqualTo(expected);
        assertThat(Fixtures.mpegFrameLength(new byte[] {(byte) 0xFF, (byte) b1, (byte) b2, 0, 0,
            0, 0}, 0)).isEqualTo(expected);
        assertThat(length).isEqualTo(expected);
        valid++;
      }
    }
    // protection bit, version, layer, bitrate index, rate index, padding bit, private bit
    assertThat(valid).isEqualTo(2 * 3 * 3 * 14 * 3 * 2 * 2);
  }
}
