package dev.floe.icy.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InterleaverTest {
  /** A script: audio chunks, with a metadata change (or null) applied before each chunk. */
  record Step(IcyMetadata before, byte[] audio) {}

  static List<Step> script(long seed, int steps, int maxChunk) {
    Random rnd = new Random(seed);
    List<Step> out = new ArrayList<>();
    IcyMetadata[] pool = {
      IcyMetadata.of("One", null),
      IcyMetadata.of("Two", "http://x/"),
      IcyMetadata.of("Rock'n'Roll; Live", null),
      IcyMetadata.of("x".repeat(5000), null), // truncated, 255 units
      IcyMetadata.EMPTY,
    };
    for (int i = 0; i < steps; i++) {
      IcyMetadata change = rnd.nextInt(4) == 0 ? pool[rnd.nextInt(pool.length)] : null;
      if (change != null && rnd.nextBoolean()) {
        change = IcyMetadata.ofFields(change.fields()); // equal but another instance
      }
      byte[] audio = new byte[rnd.nextInt(maxChunk + 1)];
      rnd.nextBytes(audio);
      out.add(new Step(change, audio));
    }
    return out;
  }

  /** Drives the planning API the way the proxy does: slices of the chunk, then the due block. */
  static byte[] planning(int metaint, List<Step> steps) {
    Interleaver il = new Interleaver(metaint);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Step s : steps) {
      if (s.before() != null) {
        il.metadata(s.before());
      }
      int pos = 0;
      while (true) {
        if (il.blockDue()) {
          byte[] b = il.takeBlock();
          out.write(b, 0, b.length);
          continue;
        }
        if (pos == s.audio().length) {
          break;
        }
        int n = Math.min(s.audio().length - pos, il.audioUntilBlock());
        out.write(s.audio(), pos, n);
        il.audioSent(n);
        pos += n;
      }
    }
    return out.toByteArray();
  }

  /** Drives the copying API with output buffers of {@code outSize} bytes. */
  static byte[] copying(int metaint, List<Step> steps, int outSize) {
    Interleaver il = new Interleaver(metaint);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer buf = ByteBuffer.allocate(outSize);
    long audioIn = 0;
    for (Step s : steps) {
      if (s.before() != null) {
        il.metadata(s.before());
      }
      ByteBuffer audio = ByteBuffer.wrap(s.audio());
      do {
        buf.clear();
        int consumed = il.write(audio, buf);
        audioIn += consumed;
        buf.flip();
        out.write(buf.array(), 0, buf.limit());
      } while (audio.hasRemaining() || il.midBlock() || il.blockDue());
      assertThat(il.audioTotal()).isEqualTo(audioIn);
    }
    return out.toByteArray();
  }

  @Test
  void planningAndCopyingGiveTheSameBytes() {
    for (int metaint : new int[] {1, 7, 16, 100, 16000, 0}) {
      List<Step> steps = script(metaint, 300, 200);
      byte[] expected = planning(metaint, steps);
      assertThat(copying(metaint, steps, 1 << 16)).as("metaint %d", metaint).isEqualTo(expected);
    }
  }

  @Test
  void copyingWithEveryOutputSizeGivesTheSameBytes() {
    for (int metaint : new int[] {1, 7, 16000}) {
      List<Step> steps = script(100 + metaint, 200, 60);
      byte[] expected = planning(metaint, steps);
      for (int size = 1; size <= 40; size++) {
        assertThat(copying(metaint, steps, size)).as("metaint %d, out %d", metaint, size).isEqualTo(expected);
      }
    }
  }

  @Test
  void roundTripThroughDeinterleaver() {
    for (int metaint : new int[] {1, 7, 16000}) {
      List<Step> steps = script(200 + metaint, 400, metaint == 16000 ? 3000 : 50);
      byte[] stream = copying(metaint, steps, 13);

      // Expected: at each block (after k * metaint audio bytes) the metadata in force is the last
      // change made before that many audio bytes; a block is sent when it differs from the last.
      ByteArrayOutputStream audio = new ByteArrayOutputStream();
      List<long[]> changeAt = new ArrayList<>();
      List<IcyMetadata> changes = new ArrayList<>();
      for (Step s : steps) {
        if (s.before() != null) {
          changeAt.add(new long[] {audio.size()});
          changes.add(s.before());
        }
        audio.write(s.audio(), 0, s.audio().length);
      }
      List<IcyMetadata> expected = new ArrayList<>();
      IcyMetadata last = null;
      for (long k = 1; k * metaint <= audio.size(); k++) {
        IcyMetadata inForce = IcyMetadata.EMPTY;
        for (int i = 0; i < changes.size(); i++) {
          if (changeAt.get(i)[0] < k * metaint) {
            inForce = changes.get(i);
          }
        }
        if (!inForce.equals(last)) {
          // What the listener sees is the block parsed back (truncated when too long).
          expected.add(IcyMetadata.parse(inForce.block(), 1, inForce.block().length - 1));
          last = inForce;
        }
      }

      DeinterleaverTest.Collector c = new DeinterleaverTest.Collector();
      Deinterleaver d = new Deinterleaver(metaint, c);
      ByteBuffer in = ByteBuffer.wrap(stream);
      while (in.hasRemaining()) {
        ByteBuffer part = in.slice();
        part.limit(Math.min(part.limit(), 997));
        d.feed(part);
        in.position(in.position() + 997 > in.limit() ? in.limit() : in.position() + 997);
      }
      assertThat(c.audio.toByteArray()).as("metaint %d", metaint).isEqualTo(audio.toByteArray());
      assertThat(c.metadata).as("metaint %d", metaint).isEqualTo(expected);
      assertThat(expected.size()).as("the script changes metadata").isGreaterThan(3);
    }
  }

  @Test
  void firstBlockIsEmptyWhenNoMetadataWasSet() {
    Interleaver il = new Interleaver(4);
    assertThat(il.lastSent()).isNull();
    assertThat(il.audioUntilBlock()).isEqualTo(4);
    il.audioSent(4);
    assertThat(il.blockDue()).isTrue();
    assertThat(il.takeBlock()).isEqualTo("\001StreamTitle='';\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    assertThat(il.lastSent()).isEqualTo(IcyMetadata.EMPTY);
    il.audioSent(4);
    assertThat(il.takeBlock()).containsExactly(0);
  }

  @Test
  void unchangedByteWhenMetadataRepeats() {
    IcyMetadata a = IcyMetadata.of("A", null);
    Interleaver il = new Interleaver(3);
    il.metadata(a);
    il.audioSent(3);
    assertThat(il.takeBlock()).isSameAs(a.block());
    il.audioSent(3);
    assertThat(il.takeBlock()).containsExactly(0);
    il.metadata(IcyMetadata.of("A", null)); // equal, another instance
    il.audioSent(3);
    assertThat(il.takeBlock()).containsExactly(0);
    IcyMetadata b = IcyMetadata.of("B", null);
    il.metadata(b);
    il.audioSent(3);
    assertThat(il.takeBlock()).isSameAs(b.block());
    assertThat(il.lastSent()).isSameAs(b);
    il.metadata(a);
    il.metadata(b); // changed and back before the block: nothing new to send
    il.audioSent(3);
    assertThat(il.takeBlock()).containsExactly(0);
    assertThat(il.audioTotal()).isEqualTo(15);
  }

  @Test
  void planningContract() {
    Interleaver il = new Interleaver(10);
    assertThat(il.metaint()).isEqualTo(10);
    assertThat(il.blockDue()).isFalse();
    assertThatThrownBy(il::takeBlock).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> il.audioSent(11)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> il.audioSent(-1)).isInstanceOf(IllegalArgumentException.class);
    il.audioSent(6);
    assertThat(il.audioUntilBlock()).isEqualTo(4);
    il.audioSent(0);
    il.audioSent(4);
    assertThat(il.audioUntilBlock()).isZero();
    assertThatThrownBy(() -> il.audioSent(1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(il.blockDue()).isTrue();
    il.takeBlock();
    assertThat(il.blockDue()).isFalse();
    assertThat(il.audioUntilBlock()).isEqualTo(10);
    assertThatThrownBy(() -> il.metadata(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void noMetadataWhenMetaintIsNotPositive() {
    for (int metaint : new int[] {0, -5}) {
      Interleaver il = new Interleaver(metaint);
      il.metadata(IcyMetadata.of("A", null));
      assertThat(il.audioUntilBlock()).isEqualTo(Integer.MAX_VALUE);
      il.audioSent(1_000_000);
      assertThat(il.blockDue()).isFalse();
      assertThat(il.audioUntilBlock()).isEqualTo(Integer.MAX_VALUE);
      ByteBuffer audio = ByteBuffer.wrap(new byte[100]);
      ByteBuffer out = ByteBuffer.allocate(64);
      assertThat(il.write(audio, out)).isEqualTo(64);
      assertThat(il.audioTotal()).isEqualTo(1_000_064);
      assertThat(il.lastSent()).isNull();
    }
  }

  @Test
  void writeStopsMidBlockAndResumes() {
    IcyMetadata a = IcyMetadata.of("A", null); // 17-byte block
    Interleaver il = new Interleaver(2);
    il.metadata(a);
    ByteBuffer audio = ByteBuffer.wrap(new byte[] {1, 2, 3, 4});
    ByteBuffer out = ByteBuffer.allocate(5);
    assertThat(il.write(audio, out)).isEqualTo(2);
    assertThat(out.position()).isEqualTo(5);
    assertThat(il.midBlock()).isTrue();
    assertThat(il.blockDue()).isFalse();
    assertThat(il.audioUntilBlock()).isZero();
    assertThatThrownBy(il::takeBlock).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> il.audioSent(1)).isInstanceOf(IllegalArgumentException.class);
    ByteBuffer out2 = ByteBuffer.allocate(100);
    assertThat(il.write(audio, out2)).isEqualTo(2);
    assertThat(il.midBlock()).isFalse();
    out.flip();
    out2.flip();
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.write(out.array(), 0, out.limit());
    all.write(out2.array(), 0, out2.limit());
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.write(new byte[] {1, 2}, 0, 2);
    expected.write(a.block(), 0, a.block().length);
    expected.write(new byte[] {3, 4, 0}, 0, 3); // the due block is written even with no audio after it
    assertThat(all.toByteArray()).isEqualTo(expected.toByteArray());
    // Back at a block boundary: the planning API may be used again.
    assertThat(il.audioUntilBlock()).isEqualTo(2);
  }
}
