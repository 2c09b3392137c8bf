package dev.floe.proxy.hls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.buffer.BufferLimits;
import dev.floe.buffer.StreamBuffer;
import dev.floe.icy.meta.IcyMetadata;
import dev.floe.proxy.mount.Segment;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentIndexTest {
  private static final byte[] STREAM = Mp3.frames(2000);
  private static final long[] FRAMES = Mp3.starts(STREAM);

  private static void append(StreamBuffer b, int fromFrame, int toFrame, String title) {
    int from = (int) FRAMES[fromFrame];
    int to = toFrame < FRAMES.length ? (int) FRAMES[toFrame] : STREAM.length;
    b.append(ByteBuffer.wrap(STREAM, from, to - from), IcyMetadata.of(title, null), null);
  }

  @Test
  void followsTheBufferReadsSegmentBytesAndForgetsEvictedSegments() {
    StreamBuffer buffer = new StreamBuffer(BufferLimits.ofBytes(300_000));
    Segment run = new Segment("00000000000000ab", buffer, true);
    SegmentIndex index = new SegmentIndex();
    for (int f = 0; f < 400; f += 20) {
      append(buffer, f, f + 20, "A");
    }
    List<Segmenter.Segment> first = index.update(run, 0).segments();
    assertThat(first).extracting(Segmenter.Segment::sequence).containsExactly(0L, 1L);
    for (int f = 400; f < 2000; f += 20) {
      append(buffer, f, f + 20, "B");
    }
    List<Segmenter.Segment> later = index.update(run, 0).segments();
    assertThat(later).allMatch(s -> s.start() >= buffer.oldest());
    assertThat(later.get(0).sequence()).isGreaterThan(1);
    assertThat(later.get(later.size() - 1).end()).isLessThanOrEqualTo(buffer.newest());
    for (int i = 1; i < later.size(); i++) {
      assertThat(later.get(i).sequence()).isEqualTo(later.get(i - 1).sequence() + 1);
    }
    Segmenter.Segment s = later.get(1);
    ByteBuffer bytes = SegmentIndex.read(buffer, s);
    assertThat(bytes).isNotNull();
    byte[] got = new byte[bytes.remaining()];
    bytes.get(got);
    assertThat(got).isEqualTo(Arrays.copyOfRange(STREAM, (int) s.start(), (int) s.end()));
    assertThat(s.title()).isEqualTo("B");
    // the first segments are gone from the buffer: not readable any more
    assertThat(SegmentIndex.read(buffer, first.get(0))).isNull();
  }

  @Test
  void aNewRunOfTheMountStartsOver() {
    StreamBuffer one = new StreamBuffer(BufferLimits.ofBytes(1 << 20));
    StreamBuffer two = new StreamBuffer(BufferLimits.ofBytes(1 << 20));
    for (int f = 0; f < 400; f += 20) {
      append(one, f, f + 20, "");
      append(two, f, f + 20, "");
    }
    SegmentIndex index = new SegmentIndex();
    Segment a = new Segment("0000000000000001", one, true);
    Segment b = new Segment("0000000000000002", two, true);
    assertThat(index.update(a, 0).segments()).hasSize(2);
    SegmentIndex.Snapshot snap = index.update(b, 0);
    assertThat(snap.run()).isSameAs(b);
    assertThat(snap.segments()).hasSize(2);
    // an announced bitrate (64 kbit/s) changes the grid: cut again
    assertThat(index.update(b, 8_000).segments()).hasSize(5);
  }

  @Test
  void eachSegmentIsBuiltOnceAndItsHashIsThatOfTheBytesAPlayerGets() throws Exception {
    StreamBuffer buffer = new StreamBuffer(BufferLimits.ofBytes(1 << 20));
    Segment run = new Segment("00000000000000ab", buffer, true);
    SegmentIndex index = new SegmentIndex();
    for (int f = 0; f < 1900; f += 20) {
      append(buffer, f, f + 20, f < 600 ? "A" : "B");
    }
    SegmentIndex.Snapshot snap = index.update(run, 0);
    assertThat(snap.segments()).hasSizeGreaterThan(SegmentIndex.CACHED);
    for (Segmenter.Segment s : snap.segments()) {
      byte[] body = index.body(snap, s);
      byte[] tag = Id3.tag(s.timestamp90k(), s.title());
      assertThat(Arrays.copyOfRange(body, 0, tag.length)).isEqualTo(tag);
      assertThat(Arrays.copyOfRange(body, tag.length, body.length))
          .isEqualTo(Arrays.copyOfRange(STREAM, (int) s.start(), (int) s.end()));
      assertThat(snap.sha256(s)).isEqualTo(java.util.HexFormat.of().formatHex(
          java.security.MessageDigest.getInstance("SHA-256").digest(body)));
    }
    Segmenter.Segment newest = snap.segments().get(snap.segments().size() - 1);
    assertThat(index.body(snap, newest)).isSameAs(index.body(snap, newest));
    // a later update keeps the hashes it had
    append(buffer, 1900, 2000, "B");
    SegmentIndex.Snapshot later = index.update(run, 0);
    assertThat(later.sha256(newest)).isEqualTo(snap.sha256(newest));
  }
}
