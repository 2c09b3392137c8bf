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
}
