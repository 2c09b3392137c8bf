package dev.floe.buffer.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.floe.buffer.splice.SpliceMatcher;
import dev.floe.buffer.splice.SpliceMatcher.State;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * {@link SpliceMatcher} on a hostile tail and hostile incoming bytes: either a continuation of the
 * stream the tail ends (starting anywhere in the tail, possibly after some junk) or unrelated
 * bytes, fed in random pieces. Contract checked:
 *
 * <ul>
 *   <li>no exception; the matcher decides once it has seen more than {@code maxSearchBytes}, and
 *       {@code finish()} always decides;
 *   <li>FOUND only where an overlap is proven: the {@code min(L, 1024)} incoming bytes before the
 *       overlap end equal the tail's last bytes (so data that does not overlap is never FOUND);
 *   <li>when the overlap region of the tail occurs only once in the stream, a FOUND result
 *       reproduces the stream exactly: the tail followed by the remainder is the stream;
 *   <li>NOT_FOUND hands back every incoming byte.
 * </ul>
 */
class SpliceMatcherFuzzTest {

  @FuzzTest(maxDuration = "5s")
  void match(FuzzedDataProvider data) {
    long seed = data.consumeLong();
    int maxSearch = data.consumeInt(1, 40_000);
    boolean continuation = data.consumeBoolean();
    int junk = data.consumeBoolean() ? data.consumeInt(0, 3000) : 0;
    int start = data.consumeInt(0, 7000);
    byte[] tail = data.consumeBytes(data.consumeInt(0, 7000));
    byte[] more = data.consumeRemainingAsBytes();

    int s = Math.min(start, tail.length);
    byte[] stream = concat(tail, more);
    byte[] incoming = continuation
        ? concat(new SplittableRandom(seed).ints(junk, 0, 256).collect(
            ByteArrayOutputStream::new, ByteArrayOutputStream::write, (a, b) -> { })
            .toByteArray(), Arrays.copyOfRange(stream, s, stream.length))
        : more;

    SpliceMatcher m = new SpliceMatcher(ByteBuffer.wrap(tail), maxSearch);
    SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
    int pos = 0;
    State state = m.state();
    while (pos < incoming.length) {
      int n = Math.min(incoming.length - pos, 1 + rnd.nextInt(1 + incoming.length / 3));
      ByteBuffer feed = ByteBuffer.wrap(incoming, pos, n);
      state = m.feed(feed);
      pos += n;
      if (pos > maxSearch) {
        assertThat(state).isNotEqualTo(State.SEARCHING);
      }
      if (state != State.SEARCHING) {
        break;
      }
    }
    state = m.finish();
    assertThat(state).isNotEqualTo(State.SEARCHING);
    ByteBuffer rest = m.takeRemainder();
    byte[] remainder = new byte[rest.remaining()];
    rest.get(remainder);
    byte[] fed = Arrays.copyOf(incoming, pos);

    if (state == State.NOT_FOUND) {
      assertThat(remainder).isEqualTo(fed);
      return;
    }
    long a = m.overlapBytes();
    int l = tail.length;
    int minOverlap = Math.min(l, SpliceMatcher.MIN_OVERLAP_BYTES);
    assertThat(a).isBetween((long) minOverlap, (long) pos);
    assertThat(Arrays.copyOfRange(fed, (int) a - minOverlap, (int) a))
        .as("overlap proven by the tail's last bytes")
        .isEqualTo(Arrays.copyOfRange(tail, l - minOverlap, l));
    assertThat(remainder).isEqualTo(Arrays.copyOfRange(fed, (int) a, pos));
    if (continuation && junk == 0 && occurrences(stream, tail, l - minOverlap, l) == 1) {
      byte[] got = concat(tail, remainder);
      assertThat(got).isEqualTo(Arrays.copyOf(stream, got.length));
    }
  }

  private static byte[] concat(byte[] x, byte[] y) {
    byte[] out = Arrays.copyOf(x, x.length + y.length);
    System.arraycopy(y, 0, out, x.length, y.length);
    return out;
  }

  /** Occurrences of {@code p[from..to)} in {@code text} (naive: inputs are small). */
  private static int occurrences(byte[] text, byte[] p, int from, int to) {
    int len = to - from;
    int count = 0;
    for (int i = 0; i + len <= text.length && count < 2; i++) {
      if (Arrays.equals(text, i, i + len, p, from, to)) {
        count++;
      }
    }
    return count;
  }
}
