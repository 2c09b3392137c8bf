package dev.floe.proxy.it.resume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.proxy.it.support.Contiguity;
import dev.floe.proxy.it.support.Contiguity.Result;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Contiguity} on synthetic data: every start, every length, every mismatch position. */
class ContiguityTest {

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int o = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, o, p.length);
      o += p.length;
    }
    return out;
  }

  @Test
  void everySliceOfTheReferenceIsFoundAtItsOffset() {
    byte[] ref = random(200, 1);
    int key = 16;
    for (int off = 0; off < ref.length; off++) {
      for (int len = 1; off + len <= ref.length; len++) {
        Result r = Contiguity.check(ref, Arrays.copyOfRange(ref, off, off + len), key);
        assertThat(r.contiguous()).as("off %d len %d: %s", off, len, r.describe()).isTrue();
        if (len >= 8) {
          assertThat(r.offset()).as("off %d len %d", off, len).isEqualTo(off);
        } else {
          // Short excerpts may also occur earlier: the first occurrence is reported.
          assertThat(r.offset()).as("off %d len %d", off, len).isBetween(0, off);
          assertThat(Arrays.copyOfRange(ref, r.offset(), r.offset() + len))
              .isEqualTo(Arrays.copyOfRange(ref, off, off + len));
        }
        assertThat(r.matched()).isEqualTo(len);
        assertThat(r.firstMismatch()).isEqualTo(-1);
        assertThat(r.pastEnd()).isZero();
      }
    }
  }

  @Test
  void aFlippedByteIsReportedAtItsExactPosition() {
    byte[] ref = random(300, 2);
    int key = 16;
    int off = 37;
    int len = 200;
    for (int bad = key; bad < len; bad++) {
      byte[] e = Arrays.copyOfRange(ref, off, off + len);
      e[bad] ^= 0x5a;
      Result r = Contiguity.check(ref, e, key);
      assertThat(r.found()).isTrue();
      assertThat(r.contiguous()).as("flip at %d", bad).isFalse();
      assertThat(r.offset()).isEqualTo(off);
      assertThat(r.firstMismatch()).as("flip at %d", bad).isEqualTo(bad);
      assertThat(r.matched()).isEqualTo(bad);
      assertThat(r.describe()).contains("first mismatch at excerpt byte " + bad);
    }
  }

  @Test
  void aFlippedByteInsideTheKeyMeansNotFound() {
    byte[] ref = random(300, 3);
    for (int bad = 0; bad < 16; bad++) {
      byte[] e = Arrays.copyOfRange(ref, 10, 110);
      e[bad] ^= 0x01;
      Result r = Contiguity.check(ref, e, 16);
      assertThat(r.found()).as("flip at %d", bad).isFalse();
      assertThat(r.contiguous()).isFalse();
      assertThat(r.candidates()).isZero();
      assertThat(r.offset()).isEqualTo(-1);
      assertThat(r.describe()).contains("do not occur");
    }
  }

  @Test
  void aGapOrARepeatIsAMismatchWhereItHappens() {
    byte[] ref = random(4000, 4);
    // A gap: 1000 bytes, then 10 bytes skipped.
    byte[] gap = concat(Arrays.copyOfRange(ref, 500, 1500), Arrays.copyOfRange(ref, 1510, 2500));
    Result g = Contiguity.check(ref, gap, 64);
    assertThat(g.offset()).isEqualTo(500);
    assertThat(g.firstMismatch()).isEqualTo(1000);
    // A repeat: 1000 bytes, then the last 10 again.
    byte[] rep = concat(Arrays.copyOfRange(ref, 500, 1500), Arrays.copyOfRange(ref, 1490, 2500));
    Result r = Contiguity.check(ref, rep, 64);
    assertThat(r.offset()).isEqualTo(500);
    assertThat(r.firstMismatch()).isEqualTo(1000);
    assertThat(r.contiguous()).isFalse();
  }

  @Test
  void anExcerptRunningPastTheEndIsReported() {
    byte[] ref = random(500, 5);
    for (int extra = 1; extra <= 50; extra++) {
      byte[] e = concat(Arrays.copyOfRange(ref, 300, 500), random(extra, 100 + extra));
      Result r = Contiguity.check(ref, e, 32);
      assertThat(r.found()).isTrue();
      assertThat(r.offset()).isEqualTo(300);
      assertThat(r.firstMismatch()).isEqualTo(-1);
      assertThat(r.pastEnd()).as("extra %d", extra).isEqualTo(extra);
      assertThat(r.matched()).isEqualTo(200);
      assertThat(r.contiguous()).isFalse();
      assertThat(r.describe()).contains(extra + " bytes run past the end");
    }
  }

  @Test
  void aRepeatedKeyIsResolvedByFullVerification() {
    byte[] x = random(64, 6);
    byte[] y1 = random(100, 7);
    byte[] y2 = random(100, 8);
    byte[] ref = concat(x, y1, x, y2, x, y1);
    byte[] e = concat(x, y2);
    Result r = Contiguity.check(ref, e, 64);
    assertThat(r.contiguous()).as(r.describe()).isTrue();
    assertThat(r.offset()).isEqualTo(164);
    assertThat(r.candidates()).isEqualTo(2);

    // Matches nowhere in full: the candidate with the longest run is reported.
    byte[] bad = concat(x, Arrays.copyOf(y2, 50), random(50, 9));
    Result b = Contiguity.check(ref, bad, 64);
    assertThat(b.contiguous()).isFalse();
    assertThat(b.offset()).isEqualTo(164);
    assertThat(b.firstMismatch()).isBetween(114, 115);
    assertThat(b.candidates()).isEqualTo(3);
  }

  @Test
  void theDefaultKeyIsFourKibibytesAndShortExcerptsUseThemselves() {
    byte[] ref = random(64 * 1024, 10);
    Result whole = Contiguity.check(ref, Arrays.copyOfRange(ref, 12345, 40000));
    assertThat(whole.contiguous()).isTrue();
    assertThat(whole.offset()).isEqualTo(12345);
    Result tiny = Contiguity.check(ref, Arrays.copyOfRange(ref, 777, 800));
    assertThat(tiny.contiguous()).isTrue();
    assertThat(tiny.offset()).isEqualTo(777);
    // A key that only fits in the last 4 KiB minus one is not searched past the end.
    byte[] tail = Arrays.copyOfRange(ref, ref.length - 4095, ref.length);
    assertThat(Contiguity.check(ref, tail).offset()).isEqualTo(ref.length - 4095);
  }

  @Test
  void anEmptyExcerptOrKeyIsRejected() {
    assertThatThrownBy(() -> Contiguity.check(new byte[10], new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Contiguity.check(new byte[10], new byte[1], 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
