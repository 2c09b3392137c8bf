package dev.floe.buffer.splice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.floe.buffer.splice.SpliceMatcher.State;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The matcher against the committed audio fixtures (a fixture is "the stream", a prefix is what
 * Floe holds, a later window is the burst), against repeating content, random data and a naive
 * reference of the matching rule, fed whole, split in two at every byte and byte by byte.
 */
class SpliceMatcherTest {

  static final int TAIL = 12 * 1024;
  static final int MAX = 256 * 1024;
  static final int K = SpliceMatcher.NEEDLE_BYTES;
  static final int M = SpliceMatcher.MIN_OVERLAP_BYTES;

  // ---------------------------------------------------------------- helpers

  static byte[] load(String name) {
    try (InputStream in = SpliceMatcherTest.class.getResourceAsStream("/fixtures/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Frame offsets as ffprobe saw them when the fixtures were made. */
  static List<Integer> frames(String name) {
    String text = new String(load(name + ".ffprobe-offsets"), StandardCharsets.US_ASCII);
    List<Integer> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank()) {
        out.add(Integer.parseInt(line.trim()));
      }
    }
    return out;
  }

  static byte[] range(byte[] b, int from, int to) {
    return Arrays.copyOfRange(b, from, to);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  /** A matcher over the last {@code tailLength} bytes of {@code held}. */
  static SpliceMatcher matcher(byte[] held, int tailLength, int max) {
    int from = Math.max(0, held.length - tailLength);
    return new SpliceMatcher(ByteBuffer.wrap(held, from, held.length - from), max);
  }

  /** Feeds {@code in} cut at {@code cuts} (ascending); returns the state after each feed. */
  static List<State> feed(SpliceMatcher m, byte[] in, int... cuts) {
    List<State> states = new ArrayList<>();
    int at = 0;
    for (int cut : cuts) {
      states.add(feedChecked(m, in, at, cut));
      at = cut;
    }
    states.add(feedChecked(m, in, at, in.length));
    return states;
  }

  static State feedChecked(SpliceMatcher m, byte[] in, int from, int to) {
    ByteBuffer b = ByteBuffer.wrap(in, from, to - from);
    State s = m.feed(b);
    assertThat(b.hasRemaining()).as("feed consumes its input").isFalse();
    assertThat(m.state()).isEqualTo(s);
    return s;
  }

  /** What Floe sends on: everything held, then the remainder. */
  static byte[] spliced(byte[] held, SpliceMatcher m) {
    return concat(held, bytes(m.takeRemainder()));
  }

  // ---------------------------------------------------------------- real audio

  static final String[] MPEG = {
    "mp3-cbr128.mp3",
    "mp3-vbr.mp3",
    "mp3-mpeg2-22k.mp3",
    "mp3-mpeg25-8k.mp3",
    "mp2-layer2.mp2",
    "aac-adts.aac"
  };

  /**
   * Floe holds the stream up to a frame boundary at about 70 %; the burst starts at every frame
   * before it. Overlaps of at least min(L, 1024) bytes are found exactly, shorter ones are not.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "mp3-cbr128.mp3",
        "mp3-vbr.mp3",
        "mp3-mpeg2-22k.mp3",
        "mp3-mpeg25-8k.mp3",
        "mp2-layer2.mp2",
        "aac-adts.aac"
      })
  void burstAtEveryFrameBeforeTheEndOfWhatIsHeld(String name) {
    byte[] stream = load(name);
    List<Integer> frames = frames(name);
    int end = frames.get(frames.size() * 7 / 10);
    byte[] held = range(stream, 0, end);
    int tail = Math.min(end, TAIL);
    int min = Math.min(tail, M);
    int found = 0;
    for (int start : frames) {
      if (start > end) {
        break;
      }
      byte[] burst = range(stream, start, stream.length);
      SpliceMatcher m = matcher(held, tail, MAX);
      m.feed(ByteBuffer.wrap(burst));
      State s = m.finish();
      int overlap = end - start;
      if (overlap >= min) {
        assertThat(s).as("%s from %d", name, start).isEqualTo(State.FOUND);
        assertThat(m.overlapBytes()).isEqualTo(overlap);
        assertThat(spliced(held, m)).isEqualTo(stream);
        found++;
      } else {
        assertThat(s).as("%s from %d", name, start).isEqualTo(State.NOT_FOUND);
        assertThat(bytes(m.takeRemainder())).isEqualTo(burst);
      }
    }
    assertThat(found).isGreaterThan(5);
  }

  /** Ogg files too (the matcher does not care about frames): bursts at arbitrary byte offsets. */
  @ParameterizedTest
  @ValueSource(strings = {"opus.ogg", "vorbis.ogg"})
  void oggAtArbitraryOffsets(String name) {
    byte[] stream = load(name);
    int end = stream.length * 2 / 3;
    byte[] held = range(stream, 0, end);
    for (int start = 1; start < end - M; start += 331) {
      SpliceMatcher m = matcher(held, TAIL, MAX);
      m.feed(ByteBuffer.wrap(stream, start, stream.length - start));
      assertThat(m.finish()).isEqualTo(State.FOUND);
      assertThat(m.overlapBytes()).isEqualTo(end - start);
      assertThat(spliced(held, m)).isEqualTo(stream);
    }
  }

  /**
   * Split-feed cases: the burst starts before the tail (overlap over L), inside the tail with the
   * needle whole (K..L) and inside the needle region (M..K).
   */
  record SplitCase(String fixture, int overlapAtLeast, int overlapBelow) {}

  /** A shorter tail than elsewhere, to keep the every-split test fast. */
  static final int SPLIT_TAIL = 8192;

  static final SplitCase[] SPLIT_CASES = {
    new SplitCase("mp3-cbr128.mp3", SPLIT_TAIL + 1, Integer.MAX_VALUE),
    new SplitCase("aac-adts.aac", K, SPLIT_TAIL),
    new SplitCase("mp3-mpeg2-22k.mp3", 3000, K),
  };

  /** The held prefix and the burst of a split case; the burst runs 3000 bytes past the overlap. */
  static byte[][] splitCase(SplitCase c) {
    byte[] stream = load(c.fixture());
    List<Integer> frames = frames(c.fixture());
    int end = frames.get(frames.size() * 8 / 10);
    int start = -1;
    for (int f : frames) {
      if (end - f >= c.overlapAtLeast() && end - f < c.overlapBelow()) {
        start = f; // the last such frame
      }
    }
    assertThat(start).as("a frame for %s", c).isGreaterThanOrEqualTo(0);
    byte[] held = range(stream, 0, end);
    byte[] burst = range(stream, start, end + 3000);
    return new byte[][] {held, burst, range(stream, 0, end + 3000)};
  }

  @Test
  void everySplitInTwoFeeds() {
    for (SplitCase c : SPLIT_CASES) {
      byte[][] k = splitCase(c);
      byte[] held = k[0];
      byte[] burst = k[1];
      int overlap = burst.length - 3000;
      byte[] fresh = range(burst, overlap, burst.length);
      assertThat(concat(held, fresh)).isEqualTo(k[2]);
      for (int cut = 0; cut <= burst.length; cut++) {
        SpliceMatcher m = matcher(held, SPLIT_TAIL, MAX);
        List<State> states = feed(m, burst, cut);
        assertThat(states.get(1)).as("%s cut %d", c, cut).isEqualTo(State.FOUND);
        assertThat(m.overlapBytes()).isEqualTo(overlap);
        assertThat(bytes(m.takeRemainder())).as("%s cut %d", c, cut).isEqualTo(fresh);
      }
    }
  }

  /**
   * Byte by byte: FOUND on the byte that completes the needle (overlap at least K), or on the K-th
   * byte when the burst started inside the needle region.
   */
  @Test
  void byteByByte() {
    for (SplitCase c : SPLIT_CASES) {
      byte[][] k = splitCase(c);
      byte[] held = k[0];
      byte[] burst = k[1];
      int overlap = burst.length - 3000;
      SpliceMatcher m = matcher(held, SPLIT_TAIL, MAX);
      int decidedAt = -1;
      for (int i = 0; i < burst.length; i++) {
        State s = feedChecked(m, burst, i, i + 1);
        if (s == State.FOUND && decidedAt < 0) {
          decidedAt = i + 1;
        }
        if (decidedAt < 0) {
          assertThat(s).isEqualTo(State.SEARCHING);
        }
      }
      assertThat(decidedAt).as("%s", c).isEqualTo(Math.max(overlap, K));
      assertThat(m.overlapBytes()).isEqualTo(overlap);
      assertThat(spliced(held, m)).isEqualTo(k[2]);
    }
  }

  /** Bytes fed after FOUND and before the remainder is taken are part of the remainder. */
  @Test
  void bytesFedAfterTheDecisionJoinTheRemainderUntilTaken() {
    byte[] stream = load("mp3-cbr128.mp3");
    byte[] held = range(stream, 0, 20000);
    SpliceMatcher m = matcher(held, TAIL, MAX);
    assertThat(m.feed(ByteBuffer.wrap(stream, 15000, 6000))).isEqualTo(State.FOUND);
    assertThat(m.feed(ByteBuffer.wrap(stream, 21000, 1000))).isEqualTo(State.FOUND);
    assertThat(m.overlapBytes()).isEqualTo(5000);
    assertThat(spliced(held, m)).isEqualTo(range(stream, 0, 22000));
    ByteBuffer later = ByteBuffer.wrap(stream, 22000, 500);
    assertThat(m.feed(later)).isEqualTo(State.FOUND);
    assertThat(later.remaining()).as("left to the caller once taken").isEqualTo(500);
    assertThat(m.takeRemainder().remaining()).isZero();
  }

  // ---------------------------------------------------------------- burst inside the tail

  @Test
  void burstInsideTheNeedleRegionIsFoundOnFinishBeforeKBytes() {
    byte[] stream = load("mp3-cbr128.mp3");
    byte[] held = range(stream, 0, 20000);
    SpliceMatcher m = matcher(held, TAIL, MAX);
    // 2000 bytes overlap + 100 new bytes: under K, so the matcher waits for more or for finish()
    assertThat(m.feed(ByteBuffer.wrap(stream, 18000, 2100))).isEqualTo(State.SEARCHING);
    assertThat(m.finish()).isEqualTo(State.FOUND);
    assertThat(m.overlapBytes()).isEqualTo(2000);
    assertThat(spliced(held, m)).isEqualTo(range(stream, 0, 20100));
  }

  @Test
  void overlapOfExactlyTheMinimumIsFoundOneLessIsNot() {
    byte[] stream = load("mp3-cbr128.mp3");
    byte[] held = range(stream, 0, 20000);
    SpliceMatcher m = matcher(held, TAIL, MAX);
    m.feed(ByteBuffer.wrap(stream, 20000 - M, 8000));
    assertThat(m.state()).isEqualTo(State.FOUND);
    assertThat(m.overlapBytes()).isEqualTo(M);
    assertThat(spliced(held, m)).isEqualTo(range(stream, 0, 20000 - M + 8000));

    SpliceMatcher n = matcher(held, TAIL, MAX);
    byte[] burst = range(stream, 20000 - M + 1, 20000 - M + 1 + 8000);
    assertThat(n.feed(ByteBuffer.wrap(burst))).isEqualTo(State.SEARCHING);
    assertThat(n.finish()).isEqualTo(State.NOT_FOUND);
    assertThat(bytes(n.takeRemainder())).isEqualTo(burst);
  }

  /** Zero overlap cannot be told from a gap: NOT_FOUND, and every byte is handed back. */
  @Test
  void burstStartingAtTheFirstNewByteIsNotFound() {
    byte[] stream = load("mp3-cbr128.mp3");
    List<Integer> frames = frames("mp3-cbr128.mp3");
    int end = frames.get(50);
    byte[] held = range(stream, 0, end);
    byte[] burst = range(stream, end, stream.length);
    SpliceMatcher m = matcher(held, TAIL, MAX);
    assertThat(m.feed(ByteBuffer.wrap(burst))).isEqualTo(State.SEARCHING);
    assertThat(m.finish()).isEqualTo(State.NOT_FOUND);
    assertThatThrownBy(m::overlapBytes).isInstanceOf(IllegalStateException.class);
    assertThat(bytes(m.takeRemainder())).isEqualTo(burst);
  }

  /** A tail shorter than the minimum: the whole tail must be matched. */
  @Test
  void shortTail() {
    byte[] stream = load("mp3-cbr128.mp3");
    byte[] held = range(stream, 0, 10000);
    SpliceMatcher m = matcher(held, 600, MAX);
    m.feed(ByteBuffer.wrap(stream, 9000, 2000));
    assertThat(m.state()).isEqualTo(State.FOUND);
    assertThat(m.overlapBytes()).isEqualTo(1000);
    assertThat(spliced(held, m)).isEqualTo(range(stream, 0, 11000));

    SpliceMatcher n = matcher(held, 600, MAX);
    n.feed(ByteBuffer.wrap(stream, 9500, 2000)); // 500 bytes overlap: under the 600-byte tail
    assertThat(n.finish()).isEqualTo(State.NOT_FOUND);
  }

  // ---------------------------------------------------------------- no overlap

  @Test
  void noOverlapIsNotFoundOnceMoreThanTheMaximumWasFed() {
    byte[] stream = load("mp3-cbr128.mp3");
    byte[] held = range(stream, 0, 12000);
    byte[] burst = range(stream, 17000, stream.length); // an outage longer than the burst
    int max = 8000;
    SpliceMatcher m = matcher(held, TAIL, max);
    int fed = 0;
    while (fed < 12000) {
      State s = feedChecked(m, burst, fed, fed + 1000);
      fed += 1000;
      assertThat(s).as("after %d", fed).isEqualTo(fed > max ? State.NOT_FOUND : State.SEARCHING);
    }
    assertThat(bytes(m.takeRemainder())).isEqualTo(range(burst, 0, 12000));

    SpliceMatcher exact = matcher(held, TAIL, max);
    assertThat(exact.feed(ByteBuffer.wrap(burst, 0, max))).isEqualTo(State.SEARCHING);
    assertThat(exact.feed(ByteBuffer.wrap(burst, max, 1))).isEqualTo(State.NOT_FOUND);
  }

  @Test
  void finishWithoutOverlapIsNotFoundAndHandsBackEveryByte() {
    byte[] stream = load("aac-adts.aac");
    byte[] held = range(stream, 0, 8000);
    SpliceMatcher m = matcher(held, TAIL, MAX);
    feed(m, range(stream, 12000, 20000), 3, 4000);
    assertThat(m.state()).isEqualTo(State.SEARCHING);
    assertThatThrownBy(m::takeRemainder).isInstanceOf(IllegalStateException.class);
    assertThat(m.finish()).isEqualTo(State.NOT_FOUND);
    assertThat(m.finish()).isEqualTo(State.NOT_FOUND);
    assertThat(bytes(m.takeRemainder())).isEqualTo(range(stream, 12000, 20000));
  }

  // ---------------------------------------------------------------- repeating content

  /** One MP3 frame repeated: digital silence, where every frame is identical. */
  static byte[] identicalFrames(int count) {
    byte[] stream = load("mp3-cbr128.mp3");
    List<Integer> frames = frames("mp3-cbr128.mp3");
    byte[] frame = range(stream, frames.get(10), frames.get(11));
    byte[][] parts = new byte[count][];
    Arrays.fill(parts, frame);
    return concat(parts);
  }

  @Test
  void digitalSilenceIsFoundAndStaysByteIdentical() {
    byte[] silence = identicalFrames(300);
    int f = silence.length / 300;
    int end = 150 * f;
    byte[] held = range(silence, 0, end);
    for (int startFrame : new int[] {100, 140, 147}) {
      byte[] burst = range(silence, startFrame * f, silence.length);
      for (int piece : new int[] {burst.length, 1000, 1}) {
        SpliceMatcher m = matcher(held, TAIL, MAX);
        for (int at = 0; at < burst.length && m.state() == State.SEARCHING; at += piece) {
          feedChecked(m, burst, at, Math.min(burst.length, at + piece));
        }
        assertThat(m.state()).as("from frame %d in %d pieces", startFrame, piece)
            .isEqualTo(State.FOUND);
        assertThat(m.overlapBytes() % f).isEqualTo((end - startFrame * f) % f);
        byte[] out = spliced(held, m);
        assertThat(out.length).isGreaterThanOrEqualTo(end);
        assertThat(out).isEqualTo(range(identicalFrames(out.length / f + 1), 0, out.length));
      }
    }
  }

  /**
   * The tail ends in 8 silent frames; the burst starts in the audio before them, so the needle
   * (silence) occurs several times in it. Only the true alignment agrees with the whole tail, and
   * that is the one chosen, however the burst is split.
   */
  @Test
  void silenceAtTheEndOfTheTailStillSplicesExactly() {
    byte[] audio = load("mp3-cbr128.mp3");
    List<Integer> frames = frames("mp3-cbr128.mp3");
    int cut = frames.get(40);
    byte[] stream =
        concat(range(audio, 0, cut), identicalFrames(30), range(audio, cut, audio.length));
    int f = identicalFrames(1).length;
    int end = cut + 18 * f;
    byte[] held = range(stream, 0, end);
    int start = frames.get(33);
    byte[] burst = range(stream, start, end + 15000);
    byte[] expected = range(stream, 0, end + 15000);
    for (int c = 0; c <= burst.length; c += 11) {
      SpliceMatcher m = matcher(held, TAIL, MAX);
      feed(m, burst, c);
      assertThat(m.finish()).isEqualTo(State.FOUND);
      assertThat(m.overlapBytes()).as("cut %d", c).isEqualTo(end - start);
      assertThat(spliced(held, m)).isEqualTo(expected);
    }
    SpliceMatcher m = matcher(held, TAIL, MAX);
    int decidedAt = -1;
    for (int i = 0; i < burst.length; i++) {
      if (feedChecked(m, burst, i, i + 1) == State.FOUND && decidedAt < 0) {
        decidedAt = i + 1;
      }
    }
    assertThat(decidedAt).as("decided without finish()").isPositive();
    assertThat(m.overlapBytes()).isEqualTo(end - start);
    assertThat(spliced(held, m)).isEqualTo(expected);
  }

  /** Bytes that are not in the tail before the burst (e.g. Ogg header pages) are discarded too. */
  @Test
  void bytesBeforeABurstInsideTheTail() {
    byte[] stream = load("mp3-cbr128.mp3");
    byte[] held = range(stream, 0, 20000);
    byte[] junk = new byte[700];
    new Random(7).nextBytes(junk);
    byte[] in = concat(junk, range(stream, 14000, stream.length));
    SpliceMatcher m = matcher(held, TAIL, MAX);
    assertThat(m.feed(ByteBuffer.wrap(in))).isEqualTo(State.FOUND);
    assertThat(m.overlapBytes()).isEqualTo(700 + 6000);
    assertThat(spliced(held, m)).isEqualTo(stream);

    SpliceMatcher n = matcher(held, TAIL, MAX);
    assertThat(n.feed(ByteBuffer.wrap(in, 0, 6800))).isEqualTo(State.SEARCHING);
    assertThat(n.finish()).isEqualTo(State.FOUND);
    assertThat(n.overlapBytes()).isEqualTo(6700);
  }

  // ---------------------------------------------------------------- random data

  @Test
  void randomDataWithoutOverlapIsNeverFound() {
    Random r = new Random(42);
    for (int i = 0; i < 1000; i++) {
      byte[] held = new byte[8192];
      byte[] burst = new byte[16384];
      r.nextBytes(held);
      r.nextBytes(burst);
      SpliceMatcher m = matcher(held, 8192, 12000);
      if (r.nextBoolean()) {
        assertThat(m.feed(ByteBuffer.wrap(burst))).as("case %d", i).isEqualTo(State.NOT_FOUND);
      } else {
        assertThat(m.feed(ByteBuffer.wrap(burst, 0, 10000))).isEqualTo(State.SEARCHING);
      }
      assertThat(m.finish()).isEqualTo(State.NOT_FOUND);
    }
  }

  @Test
  void randomDataWithOverlapIsFoundExactly() {
    Random r = new Random(43);
    for (int i = 0; i < 200; i++) {
      byte[] stream = new byte[40000];
      r.nextBytes(stream);
      int end = 16000 + r.nextInt(8000);
      int overlap = M + r.nextInt(end - M);
      byte[] held = range(stream, 0, end);
      byte[] burst = range(stream, end - overlap, stream.length);
      SpliceMatcher m = matcher(held, TAIL, MAX);
      feed(m, burst, r.nextInt(burst.length + 1));
      assertThat(m.finish()).isEqualTo(State.FOUND);
      assertThat(m.overlapBytes()).isEqualTo(overlap);
      assertThat(spliced(held, m)).isEqualTo(stream);
    }
  }

  /**
   * Against a naive reading of the rule (quadratic, on small inputs): with a needle of 8 and a
   * minimum of 4 over a two-letter alphabet, alignments repeat all the time. Fed whole then
   * finished, the matcher picks exactly the reference's alignment; fed in random pieces, what it
   * picks is still accepted by the rule.
   */
  @Test
  void agreesWithANaiveReference() {
    Random r = new Random(44);
    for (int i = 0; i < 3000; i++) {
      byte[] tail = randomText(r, 1 + r.nextInt(40));
      byte[] in = randomText(r, r.nextInt(120));
      if (r.nextInt(3) == 0 && tail.length > 0) { // plant an overlap
        int from = r.nextInt(tail.length);
        in = concat(range(tail, from, tail.length), in);
      }
      int expected = naiveBest(tail, in, 8, 4);
      SpliceMatcher whole = new SpliceMatcher(ByteBuffer.wrap(tail), 1 << 20, 8, 4);
      whole.feed(ByteBuffer.wrap(in));
      State s = whole.finish();
      if (expected < 0) {
        assertThat(s).as("case %d", i).isEqualTo(State.NOT_FOUND);
      } else {
        assertThat(s).as("case %d", i).isEqualTo(State.FOUND);
        assertThat(whole.overlapBytes()).as("case %d", i).isEqualTo(expected);
      }
      SpliceMatcher pieces = new SpliceMatcher(ByteBuffer.wrap(tail), 1 << 20, 8, 4);
      for (int at = 0; at < in.length; ) {
        int to = Math.min(in.length, at + 1 + r.nextInt(10));
        feedChecked(pieces, in, at, to);
        at = to;
      }
      if (pieces.finish() == State.FOUND) {
        assertThat(accepted(tail, in, (int) pieces.overlapBytes(), 8, 4)).isTrue();
      } else {
        assertThat(expected).isNegative();
      }
    }
  }

  static byte[] randomText(Random r, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) ('a' + r.nextInt(2));
    }
    return b;
  }

  static int naiveCommonSuffix(byte[] tail, byte[] in, int a) {
    int c = 0;
    while (c < a && c < tail.length && in[a - 1 - c] == tail[tail.length - 1 - c]) {
      c++;
    }
    return c;
  }

  static boolean accepted(byte[] tail, byte[] in, int a, int needle, int min) {
    int k = Math.min(tail.length, needle);
    int m = Math.min(tail.length, min);
    int c = naiveCommonSuffix(tail, in, a);
    return a >= 1 && a <= in.length && (c >= k || (c == a && a >= m));
  }

  /** The accepted alignment with the longest consistent overlap, the last among equals, or -1. */
  static int naiveBest(byte[] tail, byte[] in, int needle, int min) {
    if (tail.length == 0) {
      return -1;
    }
    int best = -1;
    int bestC = -1;
    for (int a = 1; a <= in.length; a++) {
      if (accepted(tail, in, a, needle, min)) {
        int c = naiveCommonSuffix(tail, in, a);
        if (c >= bestC) {
          best = a;
          bestC = c;
        }
      }
    }
    return best;
  }

  // ---------------------------------------------------------------- worst cases

  /** 256 KiB of one byte against a needle of that byte but the last: linear, not quadratic. */
  @Test
  void worstCaseRepeatedByteIsLinear() {
    assertTimeoutPreemptively(
        Duration.ofSeconds(5),
        () -> {
          byte[] tail = new byte[16384];
          tail[tail.length - 1] = 1;
          byte[] in = new byte[MAX];
          for (int piece : new int[] {MAX, 4096, 1}) {
            SpliceMatcher m = new SpliceMatcher(ByteBuffer.wrap(tail), MAX);
            for (int at = 0; at < MAX; at += piece) {
              assertThat(m.feed(ByteBuffer.wrap(in, at, piece))).isEqualTo(State.SEARCHING);
            }
            assertThat(m.finish()).isEqualTo(State.NOT_FOUND);
            assertThat(m.takeRemainder().remaining()).isEqualTo(MAX);
          }
          // and a tail of zeros against zeros: FOUND at once, the whole tail agreeing
          SpliceMatcher z = new SpliceMatcher(ByteBuffer.wrap(new byte[16384]), MAX);
          assertThat(z.feed(ByteBuffer.wrap(in))).isEqualTo(State.FOUND);
          assertThat(z.overlapBytes()).isEqualTo(MAX);
        });
  }

  // ---------------------------------------------------------------- API edges

  @Test
  void apiEdges() {
    ByteBuffer tail = ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5});
    tail.position(1);
    new SpliceMatcher(tail, 10);
    assertThat(tail.position()).as("tail left as it was").isEqualTo(1);
    assertThatThrownBy(() -> new SpliceMatcher(tail, 0))
        .isInstanceOf(IllegalArgumentException.class);

    SpliceMatcher empty = new SpliceMatcher(ByteBuffer.allocate(0), 10);
    assertThat(empty.state()).isEqualTo(State.NOT_FOUND);
    assertThat(empty.feed(ByteBuffer.wrap(new byte[] {9, 8}))).isEqualTo(State.NOT_FOUND);
    assertThat(bytes(empty.takeRemainder())).containsExactly(9, 8);

    SpliceMatcher s = new SpliceMatcher(ByteBuffer.wrap(new byte[] {1, 2, 3}), 10);
    assertThat(s.state()).isEqualTo(State.SEARCHING);
    assertThatThrownBy(s::overlapBytes).isInstanceOf(IllegalStateException.class);
    assertThat(s.feed(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}))).isEqualTo(State.FOUND);
    assertThat(s.overlapBytes()).isEqualTo(3);
    assertThat(bytes(s.takeRemainder())).containsExactly(4);
  }
}
