package dev.floe.proxy.hls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SegmenterTest {
  private static final byte[] STREAM = Mp3.frames(3000); // 78 s
  private static final long[] FRAMES = Mp3.starts(STREAM);

  /** Feeds {@code STREAM} from frame {@code first} in chunks of random whole-frame counts. */
  private static List<Segmenter.Segment> cut(int first, long seed, String title) {
    Random r = new Random(seed);
    Segmenter s = new Segmenter(0);
    List<Segmenter.Segment> out = new ArrayList<>();
    int i = first;
    while (i < FRAMES.length) {
      int n = Math.min(FRAMES.length - i, 1 + r.nextInt(40));
      int from = (int) FRAMES[i];
      int to = i + n < FRAMES.length ? (int) FRAMES[i + n] : STREAM.length;
      s.feed(from, ByteBuffer.wrap(STREAM, from, to - from).slice(), title, 0, out);
      i += n;
    }
    return out;
  }

  @Test
  void segmentsStartAtTheFirstFrameAtOrAfterEachLatticePoint() {
    List<Segmenter.Segment> segs = cut(0, 1, "t");
    long grid = Segmenter.grid(16_000);
    assertThat(grid).isEqualTo(65_536);
    assertThat(segs).hasSize((int) (FRAMES[FRAMES.length - 1] / grid)); // the last one is open
    for (int k = 0; k < segs.size(); k++) {
      Segmenter.Segment s = segs.get(k);
      long expected = Arrays.stream(FRAMES).filter(f -> f >= s.sequence() * grid).findFirst()
          .orElseThrow();
      assertThat(s.sequence()).isEqualTo(k);
      assertThat(s.start()).isEqualTo(expected);
      if (k > 0) {
        assertThat(s.start()).isEqualTo(segs.get(k - 1).end());
      }
      long frames = Arrays.stream(FRAMES).filter(f -> f >= s.start() && f < s.end()).count();
      assertThat(s.nanos()).isEqualTo(frames * (1152 * 1_000_000_000L / 44_100));
      assertThat(s.seconds()).isBetween(3.9, 4.3);
    }
  }

  @Test
  void cutsDependOnTheStreamOnlyNotOnChunksOrWhereANodeJoined() {
    List<Segmenter.Segment> origin = cut(0, 1, "t");
    List<Segmenter.Segment> relay = cut(777, 2, "t"); // joined 20 s in, other chunk sizes
    assertThat(relay).isNotEmpty();
    long first = relay.get(0).start();
    List<Segmenter.Segment> common = origin.stream().filter(s -> s.start() >= first).toList();
    assertThat(relay.stream().map(SegmenterTest::cutOnly).toList())
        .isEqualTo(common.stream().map(SegmenterTest::cutOnly).toList());
    // the relay knows every segment that starts after the first lattice point it saw crossed
    assertThat(first).isLessThan(FRAMES[777] + Segmenter.grid(16_000) + 418);
  }

  private static List<Long> cutOnly(Segmenter.Segment s) {
    return List.of(s.start(), s.end(), s.nanos(), s.sequence(), s.timestamp90k());
  }

  @Test
  void aJoinExactlyOnALatticePointFrameStartsASegmentThere() {
    Segmenter s = new Segmenter(16_000);
    List<Segmenter.Segment> out = new ArrayList<>();
    byte[] f = Mp3.frames(300); // to 190,924: past the next lattice point, not the one after
    // pretend the chunk starts at position 65536 (a lattice point) and runs past the next one
    s.feed(65_536, ByteBuffer.wrap(f), "", 0, out);
    assertThat(out).hasSize(1);
    assertThat(out.get(0).start()).isEqualTo(65_536);
    assertThat(out.get(0).sequence()).isEqualTo(1);
  }

  @Test
  void aStreamThatStartsWithAnId3TagHasItsFirstSegmentFromItsFirstFrame() {
    Segmenter s = new Segmenter(0);
    List<Segmenter.Segment> out = new ArrayList<>();
    byte[] tag = new byte[45]; // as ffmpeg's MP3 muxer sends first: no frame
    tag[0] = 'I';
    tag[1] = 'D';
    tag[2] = '3';
    byte[] f = Arrays.copyOfRange(STREAM, 0, (int) FRAMES[200]);
    s.feed(0, ByteBuffer.allocate(tag.length + f.length).put(tag).put(f).flip(), "", 0, out);
    assertThat(out).hasSize(1);
    assertThat(out.get(0).start()).isEqualTo(45); // the first frame at or after position 0
    assertThat(out.get(0).sequence()).isZero();
    // a node that joined later, not on a lattice point, waits for the next one
    Segmenter late = new Segmenter(0);
    List<Segmenter.Segment> none = new ArrayList<>();
    late.feed(FRAMES[3], ByteBuffer.wrap(STREAM, (int) FRAMES[3], (int) (FRAMES[200] - FRAMES[3]))
        .slice(), "", 0, none);
    assertThat(none).isEmpty();
  }

  @Test
  void bytesThatAreNoFramesStayInTheSegmentTheyFallIn() {
    byte[] junk = new byte[300];
    Arrays.fill(junk, (byte) 0x55);
    byte[] a = Arrays.copyOfRange(STREAM, 0, (int) FRAMES[100]); // 41,796 bytes
    byte[] b = Arrays.copyOfRange(STREAM, (int) FRAMES[100], (int) FRAMES[250]);
    Segmenter s = new Segmenter(0);
    List<Segmenter.Segment> out = new ArrayList<>();
    s.feed(0, ByteBuffer.wrap(a), "", 0, out);
    // garbage at the front of a chunk, as the chunker leaves it
    ByteBuffer withJunk = ByteBuffer.allocate(junk.length + b.length).put(junk).put(b).flip();
    s.feed(a.length, withJunk, "", 0, out);
    assertThat(out).hasSize(1);
    assertThat(out.get(0).start()).isZero();
    long next = out.get(0).end();
    assertThat(next).isGreaterThanOrEqualTo(65_536).isLessThan(65_536 + 418);
    long inB = next - a.length - junk.length; // the next segment starts on a frame of b
    assertThat(Arrays.stream(FRAMES).anyMatch(f -> f - FRAMES[100] == inB)).isTrue();
    long frames = 100 + Arrays.stream(FRAMES).filter(f -> f >= FRAMES[100]
        && f - FRAMES[100] < inB).count();
    assertThat(out.get(0).nanos()).isEqualTo(frames * (1152 * 1_000_000_000L / 44_100));
  }

  @Test
  void aSegmentCarriesTheTitleInForceAtItsFirstByte() {
    Segmenter s = new Segmenter(0);
    List<Segmenter.Segment> out = new ArrayList<>();
    int mid = (int) FRAMES[170]; // inside segment 1 (starts at 65886)
    int end = (int) FRAMES[600];
    s.feed(0, ByteBuffer.wrap(STREAM, 0, mid).slice(), "A", 10, out);
    s.feed(mid, ByteBuffer.wrap(STREAM, mid, end - mid).slice(), "B", 20, out);
    assertThat(out).extracting(Segmenter.Segment::title).containsExactly("A", "A", "B");
    assertThat(out).extracting(Segmenter.Segment::appendedNanos).containsExactly(10L, 10L, 20L);
    assertThat(out.get(2).firstChunk()).isEqualTo(mid);
  }

  @Test
  void aChunkThatDoesNotContinueStartsOver() {
    Segmenter s = new Segmenter(0);
    List<Segmenter.Segment> out = new ArrayList<>();
    int cut = (int) FRAMES[200];
    s.feed(0, ByteBuffer.wrap(STREAM, 0, cut).slice(), "", 0, out);
    // a hole of 5000 bytes: nothing spans it, and a new lattice point is needed to start again
    s.feed(cut + 5000, ByteBuffer.wrap(STREAM, cut, (int) FRAMES[900] - cut).slice(), "", 0,
        out);
    assertThat(out).allMatch(x -> x.end() <= cut || x.start() >= cut + 5000);
    assertThat(out).hasSize(4);
    assertThat(out.get(0).end()).isLessThan(cut);
    assertThat(out.get(1).start()).isGreaterThanOrEqualTo(2 * 65_536).isLessThan(2 * 65_536 + 418);
  }

  @Test
  void theGridIsThePowerOfTwoNearestToFourSeconds() {
    assertThat(Segmenter.grid(16_000)).isEqualTo(65_536); // 128 kbit/s: 4.1 s
    assertThat(Segmenter.grid(8_000)).isEqualTo(32_768); // 64 kbit/s: 4.1 s
    assertThat(Segmenter.grid(4_000)).isEqualTo(16_384);
    assertThat(Segmenter.grid(24_000)).isEqualTo(131_072); // 192 kbit/s: 5.5 s
    assertThat(Segmenter.grid(40_000)).isEqualTo(131_072); // 320 kbit/s: 3.3 s
    for (long kbps = 8; kbps <= 320; kbps += 8) {
      double seconds = Segmenter.grid(kbps * 125) / (kbps * 125.0);
      assertThat(seconds).as("%d kbit/s", kbps).isBetween(2.8, 5.7);
    }
  }

  @Test
  void theRateComesFromTheAnnouncedBitrateElseTheFirstMpegHeader() {
    Segmenter header = new Segmenter(0);
    header.feed(0, ByteBuffer.wrap(STREAM, 0, 4180).slice(), "", 0, new ArrayList<>());
    assertThat(header.bytesPerSecond()).isEqualTo(16_000);
    Segmenter announced = new Segmenter(8_000);
    assertThat(announced.grid()).isEqualTo(32_768);
  }

  @Test
  void theTimestampIsThePositionAtTheStreamRateIn90kHzTicks() {
    Segmenter.Segment s = new Segmenter.Segment(65_886, 131_400, 0, 0, "", 0, 65_536, 16_000);
    assertThat(s.timestamp90k()).isEqualTo(370_608); // 65886 / 16000 s = 4.1179 s
    assertThat(s.sequence()).isEqualTo(1);
  }
}
