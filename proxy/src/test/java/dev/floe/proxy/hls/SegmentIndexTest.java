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
    List<Segmenter.Segment> first = segments(index.update(run, 0, ".mp3", 0));
    assertThat(first).extracting(Segmenter.Segment::sequence).containsExactly(0L, 1L);
    for (int f = 400; f < 2000; f += 20) {
      append(buffer, f, f + 20, "B");
    }
    List<Segmenter.Segment> later = segments(index.update(run, 0, ".mp3", 0));
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

  private static List<Segmenter.Segment> segments(SegmentIndex.Snapshot snap) {
    return snap.listed().stream().map(SegmentIndex.Listed::segment).toList();
  }

  private static SegmentIndex.Snapshot update(SegmentIndex index, Segment run, long nanos) {
    return index.update(run, 0, ".mp3", nanos);
  }

  @Test
  void aNewRunIsADiscontinuityNumberedOnAndTheOldRunsLastSegmentsStayListedAWhile() {
    StreamBuffer one = new StreamBuffer(BufferLimits.ofBytes(1 << 20));
    StreamBuffer two = new StreamBuffer(BufferLimits.ofBytes(1 << 20));
    for (int f = 0; f < 1400; f += 20) {
      append(one, f, f + 20, "");
    }
    SegmentIndex index = new SegmentIndex();
    Segment a = new Segment("0000000000000001", one, true);
    Segment b = new Segment("0000000000000002", two, true);
    SegmentIndex.Snapshot first = update(index, a, 0);
    assertThat(first.listed()).hasSize(8); // 8 complete segments, numbered from 0 in run 0
    assertThat(first.listed()).extracting(SegmentIndex.Listed::sequence)
        .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(first.listed()).allMatch(l -> l.discontinuity() == 0
        && l.name().matches("0000000000000001-[0-9]+-00000000\\.mp3"));

    // the source left: the mount has no stream; its last segments are still listed and
    // served, and the one that was growing is complete now: it ends at the run's last frame
    SegmentIndex.Snapshot away = update(index, null, 1_000_000_000L);
    assertThat(away.run()).isNull();
    assertThat(away.listed()).hasSize(9).startsWith(first.listed().toArray(
        SegmentIndex.Listed[]::new));
    SegmentIndex.Listed last = away.listed().get(8);
    assertThat(last.sequence()).isEqualTo(8);
    assertThat(last.segment().start()).isEqualTo(first.listed().get(7).segment().end());
    assertThat(last.segment().end()).isEqualTo(one.newest());
    assertThat(last.name()).isEqualTo("0000000000000001-" + last.segment().start()
        + "-00000000-" + one.newest() + ".mp3");
    byte[] lastBody = index.body(away, last);
    assertThat(Arrays.copyOfRange(lastBody, lastBody.length - (int) last.segment().length(),
        lastBody.length)).isEqualTo(Arrays.copyOfRange(STREAM, (int) last.segment().start(),
        (int) one.newest()));
    assertThat(index.body(away, away.listed().get(7)))
        .isEqualTo(index.body(first, first.listed().get(7)));

    // the source is back: a new epoch from position 0; no segment of it yet
    append(two, 0, 100, "");
    SegmentIndex.Snapshot back = update(index, b, 2_000_000_000L);
    assertThat(back.listed()).isEqualTo(away.listed());
    for (int f = 100; f < 400; f += 20) {
      append(two, f, f + 20, "");
    }
    SegmentIndex.Snapshot both = update(index, b, 3_000_000_000L);
    assertThat(both.listed()).hasSize(11);
    // the new run's segments go on from the last number, with the next discontinuity number
    assertThat(both.listed()).extracting(SegmentIndex.Listed::sequence)
        .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    assertThat(both.listed()).extracting(SegmentIndex.Listed::discontinuity)
        .containsExactly(0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 1L, 1L);
    assertThat(both.listed().get(9).name()).startsWith("0000000000000002-0-");
    assertThat(index.body(both, both.listed().get(0)))
        .isEqualTo(index.body(first, first.listed().get(0)));
    // three segments of the new run: the old run's are no longer listed
    for (int f = 400; f < 700; f += 20) {
      append(two, f, f + 20, "");
    }
    SegmentIndex.Snapshot later = update(index, b, 4_000_000_000L);
    assertThat(later.listed()).extracting(SegmentIndex.Listed::sequence)
        .containsExactly(9L, 10L, 11L, 12L);
    assertThat(later.listed()).allMatch(l -> l.discontinuity() == 1);
    // an announced bitrate (64 kbit/s) changes the grid: the old cuts end where reading
    // stopped, the new ones go on from there (numbered on, after a discontinuity)
    for (int f = 700; f < 1000; f += 20) {
      append(two, f, f + 20, "");
    }
    List<SegmentIndex.Listed> old = index.update(b, 8_000, ".mp3", 5_000_000_000L).listed();
    assertThat(old).isNotEmpty().allMatch(l -> l.discontinuity() == 1);
    for (int f = 1000; f < 1300; f += 20) {
      append(two, f, f + 20, "");
    }
    SegmentIndex.Snapshot recut = index.update(b, 8_000, ".mp3", 6_000_000_000L);
    List<SegmentIndex.Listed> cut = recut.listed().stream()
        .filter(l -> l.discontinuity() == 2).toList();
    assertThat(cut).hasSizeGreaterThanOrEqualTo(3);
    assertThat(recut.listed()).extracting(SegmentIndex.Listed::sequence)
        .isSorted().doesNotHaveDuplicates();
    assertThat(cut.get(0).segment().start()).isEqualTo(old.get(old.size() - 1).segment().end());
    for (int i = 1; i < cut.size(); i++) {
      assertThat(cut.get(i).segment().start()).isEqualTo(cut.get(i - 1).segment().end());
    }
  }

  @Test
  void theOldRunsSegmentsAreForgottenAMinuteAfterTheSourceLeft() {
    StreamBuffer one = new StreamBuffer(BufferLimits.ofBytes(1 << 20));
    for (int f = 0; f < 400; f += 20) {
      append(one, f, f + 20, "");
    }
    SegmentIndex index = new SegmentIndex();
    assertThat(update(index, new Segment("0000000000000001", one, true), 0).listed()).hasSize(2);
    // noticed it left: and the segment that was growing is listed too
    assertThat(update(index, null, 1_000_000_000L).listed()).hasSize(3);
    assertThat(update(index, null, 60_000_000_000L).listed()).hasSize(3);
    assertThat(update(index, null, 62_000_000_000L).listed()).isEmpty();
  }

  @Test
  void anIndexIsIdleOnlyOnceItsRunIsGoneAndItsOldSegmentsAreNoLongerListed() {
    StreamBuffer one = new StreamBuffer(BufferLimits.ofBytes(1 << 20));
    for (int f = 0; f < 400; f += 20) {
      append(one, f, f + 20, "");
    }
    SegmentIndex index = new SegmentIndex();
    assertThat(index.idle(0)).isTrue(); // never read anything
    update(index, new Segment("0000000000000001", one, true), 0);
    assertThat(index.idle(1_000_000_000L)).isFalse(); // a live run
    update(index, null, 1_000_000_000L); // the source left: its segments stay listed a minute
    assertThat(index.idle(60_000_000_000L)).isFalse();
    assertThat(index.idle(62_000_000_000L)).isTrue();
  }

  @Test
  void eachSegmentIsBuiltOnceAndItsHashIsThatOfTheBytesAPlayerGets() throws Exception {
    StreamBuffer buffer = new StreamBuffer(BufferLimits.ofBytes(1 << 20));
    Segment run = new Segment("00000000000000ab", buffer, true);
    SegmentIndex index = new SegmentIndex();
    for (int f = 0; f < 1900; f += 20) {
      append(buffer, f, f + 20, f < 600 ? "A" : "B");
    }
    SegmentIndex.Snapshot snap = update(index, run, 0);
    assertThat(snap.listed()).hasSizeGreaterThan(SegmentIndex.CACHED);
    for (SegmentIndex.Listed l : snap.listed()) {
      Segmenter.Segment s = l.segment();
      byte[] body = index.body(snap, l);
      byte[] tag = Id3.tag(s.timestamp90k(), s.title());
      assertThat(Arrays.copyOfRange(body, 0, tag.length)).isEqualTo(tag);
      assertThat(Arrays.copyOfRange(body, tag.length, body.length))
          .isEqualTo(Arrays.copyOfRange(STREAM, (int) s.start(), (int) s.end()));
      assertThat(l.sha256()).isEqualTo(java.util.HexFormat.of().formatHex(
          java.security.MessageDigest.getInstance("SHA-256").digest(body)));
    }
    SegmentIndex.Listed newest = snap.listed().get(snap.listed().size() - 1);
    assertThat(index.body(snap, newest)).isSameAs(index.body(snap, newest));
    // a later update keeps what it listed
    append(buffer, 1900, 2000, "B");
    SegmentIndex.Snapshot later = update(index, run, 0);
    assertThat(later.listed()).contains(newest);
  }
}
