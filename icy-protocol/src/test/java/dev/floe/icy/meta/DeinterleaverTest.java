package dev.floe.icy.meta;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DeinterleaverTest {
  static final int METAINT = 37;

  /** Collects what a Deinterleaver delivers; checks that audio slices are views of the fed buffer. */
  static final class Collector implements Deinterleaver.Listener {
    final ByteArrayOutputStream audio = new ByteArrayOutputStream();
    final List<IcyMetadata> metadata = new ArrayList<>();
    ByteBuffer fed;
    int audioCalls;

    @Override
    public void audio(ByteBuffer slice) {
      assertThat(slice.hasRemaining()).isTrue();
      if (fed != null && fed.hasArray()) {
        assertThat(slice.array()).as("no copy").isSameAs(fed.array());
      }
      audioCalls++;
      while (slice.hasRemaining()) {
        audio.write(slice.get());
      }
    }

    @Override
    public void metadata(IcyMetadata meta) {
      metadata.add(meta);
    }
  }

  /** A stream of random audio with a block every METAINT bytes, and what it should decode to. */
  static final class Stream {
    final byte[] audio;
    final byte[] bytes;
    final List<IcyMetadata> events = new ArrayList<>();

    Stream(long seed) {
      Random rnd = new Random(seed);
      byte[] latin = "StreamTitle='Caf\u00e9';".getBytes(StandardCharsets.ISO_8859_1);
      byte[] latinBlock = new byte[1 + 32];
      latinBlock[0] = 2;
      System.arraycopy(latin, 0, latinBlock, 1, latin.length);
      IcyMetadata full = IcyMetadata.of("z".repeat(4080 - 15), null);
      assertThat(full.block()).hasSize(4081);
      IcyMetadata a = IcyMetadata.of("A - One", null);
      IcyMetadata b = IcyMetadata.of("Rock'n'Roll; Live", "http://x/?a=1;b=2");
      byte[][] blocks = {
        IcyMetadata.EMPTY.block(),
        {0},
        {0},
        a.block(),
        a.block(), // repeated on purpose: still an event
        {0},
        full.block(),
        {0},
        b.block(),
        latinBlock,
        {0},
        IcyMetadata.EMPTY.block(),
      };
      int tail = 11;
      audio = new byte[blocks.length * METAINT + tail];
      rnd.nextBytes(audio);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (int i = 0; i < blocks.length; i++) {
        out.write(audio, i * METAINT, METAINT);
        out.write(blocks[i], 0, blocks[i].length);
        if (blocks[i][0] != 0) {
          events.add(IcyMetadata.parse(blocks[i], 1, blocks[i].length - 1));
        }
      }
      out.write(audio, blocks.length * METAINT, tail);
      bytes = out.toByteArray();
      assertThat(events)
          .containsExactly(
              IcyMetadata.EMPTY, a, a, full, b, IcyMetadata.of("Caf\u00e9", null), IcyMetadata.EMPTY);
    }
  }

  static Collector run(int metaint, List<ByteBuffer> chunks) {
    Collector c = new Collector();
    Deinterleaver d = new Deinterleaver(metaint, c);
    for (ByteBuffer chunk : chunks) {
      c.fed = chunk;
      d.feed(chunk);
      assertThat(chunk.hasRemaining()).as("feed consumes everything").isFalse();
    }
    assertThat(d.audioBytes()).isEqualTo(c.audio.size());
    assertThat(d.metaint()).isEqualTo(metaint);
    return c;
  }

  @Test
  void wholeStream() {
    Stream s = new Stream(1);
    Collector c = run(METAINT, List.of(ByteBuffer.wrap(s.bytes)));
    assertThat(c.audio.toByteArray()).isEqualTo(s.audio);
    assertThat(c.metadata).isEqualTo(s.events);
  }

  @Test
  void splitInTwoAtEveryPosition() {
    Stream s = new Stream(2);
    for (int cut = 0; cut <= s.bytes.length; cut++) {
      Collector c =
          run(
              METAINT,
              List.of(
                  ByteBuffer.wrap(Arrays.copyOfRange(s.bytes, 0, cut)),
                  ByteBuffer.wrap(Arrays.copyOfRange(s.bytes, cut, s.bytes.length))));
      assertThat(c.audio.toByteArray()).as("cut at %d", cut).isEqualTo(s.audio);
      assertThat(c.metadata).as("cut at %d", cut).isEqualTo(s.events);
    }
  }

  @Test
  void splitInTwoAtEveryPositionOfOneSharedArray() {
    Stream s = new Stream(3);
    for (int cut = 0; cut <= s.bytes.length; cut += 1) {
      ByteBuffer a = ByteBuffer.wrap(s.bytes, 0, cut);
      ByteBuffer b = ByteBuffer.wrap(s.bytes, cut, s.bytes.length - cut);
      Collector c = run(METAINT, List.of(a, b));
      assertThat(c.audio.toByteArray()).isEqualTo(s.audio);
      assertThat(c.metadata).isEqualTo(s.events);
    }
  }

  @Test
  void byteByByte() {
    Stream s = new Stream(4);
    List<ByteBuffer> chunks = new ArrayList<>();
    for (byte b : s.bytes) {
      chunks.add(ByteBuffer.wrap(new byte[] {b}));
    }
    Collector c = run(METAINT, chunks);
    assertThat(c.audio.toByteArray()).isEqualTo(s.audio);
    assertThat(c.metadata).isEqualTo(s.events);
  }

  @Test
  void randomChunksInDirectBuffers() {
    Stream s = new Stream(5);
    Random rnd = new Random(5);
    for (int round = 0; round < 50; round++) {
      List<ByteBuffer> chunks = new ArrayList<>();
      int pos = 0;
      while (pos < s.bytes.length) {
        int n = Math.min(s.bytes.length - pos, rnd.nextInt(200));
        ByteBuffer d = ByteBuffer.allocateDirect(n);
        d.put(s.bytes, pos, n).flip();
        chunks.add(d);
        pos += n;
      }
      Collector c = run(METAINT, chunks);
      assertThat(c.audio.toByteArray()).isEqualTo(s.audio);
      assertThat(c.metadata).isEqualTo(s.events);
    }
  }

  @Test
  void audioIsDeliveredInPlaceWithoutCopy() {
    Stream s = new Stream(6);
    Collector c = run(METAINT, List.of(ByteBuffer.wrap(s.bytes)));
    // One slice per interval: 12 full intervals and the tail.
    assertThat(c.audioCalls).isEqualTo(13);
  }

  @Test
  void metaintZeroOrNegativeIsAllAudio() {
    byte[] bytes = "\001StreamTitle='';\0 everything is audio".getBytes(StandardCharsets.ISO_8859_1);
    for (int metaint : new int[] {0, -1}) {
      Collector c = run(metaint, List.of(ByteBuffer.wrap(bytes, 0, 5), ByteBuffer.wrap(bytes, 5, bytes.length - 5)));
      assertThat(c.audio.toByteArray()).isEqualTo(bytes);
      assertThat(c.metadata).isEmpty();
      assertThat(c.audioCalls).isEqualTo(2);
    }
  }

  @Test
  void emptyFeedDoesNothing() {
    Collector c = run(METAINT, List.of(ByteBuffer.allocate(0)));
    assertThat(c.audioCalls).isZero();
  }
}
