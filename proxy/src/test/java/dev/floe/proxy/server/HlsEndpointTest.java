package dev.floe.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.buffer.BufferLimits;
import dev.floe.buffer.StreamBuffer;
import dev.floe.icy.head.Headers;
import dev.floe.proxy.hls.SegmentIndex;
import dev.floe.proxy.hls.Segmenter;
import dev.floe.proxy.mount.Segment;
import dev.floe.proxy.mount.StreamInfo;
import org.junit.jupiter.api.Test;

class HlsEndpointTest {
  private static final Segment RUN =
      new Segment("00000000deadbeef", new StreamBuffer(BufferLimits.ofBytes(1 << 16)), true);

  @Test
  void aNameIsEpochStartAndTheTitlesCrc() {
    Segmenter.Segment s = new Segmenter.Segment(65_886, 131_400, 0, 0, "A - B", 0, 65_536,
        16_000);
    String name = SegmentIndex.name(RUN.epoch(), s);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update("A - B".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(name).isEqualTo("00000000deadbeef-65886-" + String.format("%08x", crc.getValue()));
    assertThat(SegmentIndex.name(RUN.epoch(), new Segmenter.Segment(65_886, 131_400, 0, 0, "", 0,
        65_536, 16_000))).isEqualTo("00000000deadbeef-65886-00000000");
    assertThat(HlsEndpoint.startOf(name + ".mp3")).isEqualTo(65_886);
    assertThat(HlsEndpoint.startOf("x.mp3")).isEqualTo(-1);
    assertThat(HlsEndpoint.startOf("a-b-c.mp3")).isEqualTo(-1);
  }

  @Test
  void segmentUrisAreRelativeToThePlaylistAndTypedByTheStream() {
    assertThat(HlsEndpoint.baseName("/live")).isEqualTo("live");
    assertThat(HlsEndpoint.baseName("/radio/main.mp3")).isEqualTo("main.mp3");
    assertThat(HlsEndpoint.extension(new StreamInfo("audio/aac", Headers.builder().build())))
        .isEqualTo(".aac");
    assertThat(HlsEndpoint.extension(new StreamInfo("audio/aacp", Headers.builder().build())))
        .isEqualTo(".aac");
    assertThat(HlsEndpoint.extension(new StreamInfo("audio/mpeg", Headers.builder().build())))
        .isEqualTo(".mp3");
  }
}
