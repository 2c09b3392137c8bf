package dev.floe.buffer.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.buffer.StreamHeader;
import dev.floe.icy.meta.IcyMetadata;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The chunker on small hand-made inputs where every cut can be named. */
class ChunkerTest {
  static final IcyMetadata A = IcyMetadata.of("A", null);
  static final IcyMetadata B = IcyMetadata.of("B", null);

  /** MPEG-1 layer III, 128 kbit/s, 44.1 kHz, no padding: 417 bytes. */
  static byte[] mp3Frame(int fill) {
    byte[] f = new byte[417];
    Arrays.fill(f, (byte) fill);
    f[0] = (byte) 0xFF;
    f[1] = (byte) 0xFB;
    f[2] = (byte) 0x90;
    f[3] = 0x64;
    return f;
  }

  static byte[] mp3Frames(int n) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < n; i++) {
      out.writeBytes(mp3Frame(i + 1));
    }
    return out.toByteArray();
  }

  static void feed(Chunker c, byte[] d, int from, int to, IcyMetadata m) {
    c.feed(ByteBuffer.wrap(d, from, to - from), m);
  }

  static List<Integer> starts(Recorder r) {
    List<Integer> out = new ArrayList<>();
    r.chunks.forEach(ch -> out.add(ch.inputStart()));
    return out;
  }

  // ---------------------------------------------------------------- construction

  @Test
  void rejectsBadLimits() {
    Chunker.Sink sink = (f, m, h) -> {};
    assertThatThrownBy(() -> new Chunker(ContentKind.MPEG, 0, 10, sink))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Chunker(ContentKind.MPEG, 11, 10, sink))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Chunker(ContentKind.OGG, 1, Integer.MAX_VALUE, sink))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---------------------------------------------------------------- OTHER

  @Test
  void otherCutsAnywhereAtTheMin() {
    byte[] d = new byte[2500];
    new Random(1).nextBytes(d);
    Recorder r = new Recorder(d);
    Chunker c = new Chunker(ContentKind.OTHER, 1000, 4000, r);
    assertThat(c.capacity()).isEqualTo(4008);
    feed(c, d, 0, 999, A);
    assertThat(r.chunks).isEmpty();
    feed(c, d, 999, 2500, A);
    assertThat(starts(r)).containsExactly(0, 1000);
    c.flush();
    assertThat(starts(r)).containsExactly(0, 1000, 2000);
    c.end();
    r.assertComplete();
  }

  @Test
  void otherCutsExactlyAtAMetadataChange() {
    byte[] d = new byte[3000];
    Recorder r = new Recorder(d);
    Chunker c = new Chunker(ContentKind.OTHER, 1000, 4000, r);
    feed(c, d, 0, 300, A);
    feed(c, d, 300, 2000, B);
    c.end();
    assertThat(r.shape()).containsExactly("0+300 A h-1", "300+1000 B h-1", "1300+700 B h-1");
  }

  @Test
  void nullMetadataMeansEmpty() {
    byte[] d = new byte[10];
    Recorder r = new Recorder(d);
    Chunker c = new Chunker(ContentKind.OTHER, 5, 5, r);
    c.feed(ByteBuffer.wrap(d), null);
    assertThat(r.chunks).allSatisfy(ch -> assertThat(ch.meta()).isEqualTo(IcyMetadata.EMPTY));
  }

  @Test
  void feedDoesNotMoveTheCallersBuffer() {
    ByteBuffer in = ByteBuffer.wrap(new byte[100]);
    Chunker c = new Chunker(ContentKind.OTHER, 10, 10, (f, m, h) -> {});
    c.feed(in, A);
    assertThat(in.position()).isZero();
  }

  // ---------------------------------------------------------------- MPEG

  @Test
  void aFrameIsCutOnlyWhenTheNextHeaderConfirmsIt() {
    byte[] d = mp3Frames(6); // 417 each
    Recorder r = new Recorder(d);
    Chunker c = new Chunker(ContentKind.MPEG, 800, 5000, r);
    feed(c, d, 0, 834, A); // two whole frames, but nothing confirms the second
    assertThat(r.chunks).isEmpty();
    feed(c, d, 834, 837, A); // three bytes of the third header: not enough
    assertThat(r.chunks).isEmpty();
    feed(c, d, 837, 838, A);
    assertThat(r.shape()).containsExactly("0+834 A h-1");
  }

  @Test
  void flushEmitsFollowedFramesButKeepsThePartialOne() {
    byte[] d = mp3Frames(6);
    Recorder r = new Recorder(d);
    Chunker c = new Chunker(ContentKind.MPEG, 5000, 5000, r);
    feed(c, d, 0, 417, A);
    c.flush(); // a frame found by searching is not confirmed by anything yet
    assertThat(r.chunks).isEmpty();
    feed(c, d, 417, 1000, A); // confirms the first frame; the second is whole, the third partial
    c.flush();
    assertThat(r.shape()).containsExactly("0+834 A h-1");
    feed(c, d, 1000, d.length, A);
    c.flush();
    assertThat(r.shape()).containsExactly("0+834 A h-1", "834+1668 A h-1");
    c.end();
    r.assertComplete();
  }

  @Test
  void metadataChangeInsideAFrameCutsAfterThatFrame() {
    byte[] d = mp3Frames(8);
    Recorder r = new Recorder(d);
    Chunker c = new Chunker(ContentKind.MPEG, 1200, 5000, r);
    feed(c, d, 0, 500, A); // the change at 500 falls inside the frame [417, 834)
    feed(c, d, 500, d.length, B);
    c.end();
    assertThat(r.shape()).containsExactly("0+834 A h-1", "834+1251 B h-1", "2085+1251 B h-1");
  }

  @Test
  void metadataChangeAtAFrameBoundaryCutsThere() {
    byte[] d = mp3Frames(8);
    Recorder r = new Recorder(d);
    Chunker c = new Chunker(ContentKind.MPEG, 1200, 5000, r);
    feed(c, d, 0, 834, A);
    feed(c, d, 834, d.length, B);
    c.end();
    assertThat(r.shape()).containsExactly("0+834 A h-1", "834+1251 B h-1", "2085+1251 B h-1");
  }

  @Test
  void metadataChangedAndRestoredWithinAFrameCutsNothing() {
    byte[] d = mp3Frames(8);
    Recorder r = new Recorder(d);
    Chunker c = new Chunker(ContentKind.MPEG, 1200, 5000, r);
    feed(c, d, 0, 500, A);
    feed(c, d, 500, 600, B);
    feed(c, d, 600, d.length, A);
    c.end();
    assertThat(r.shape()).containsExactly("0+1251 A h-1", "1251+1251 A h-1", "2502+834 A h-1");
  }

  @Test
  void framesOfAnotherStreamDoNotConfirmAFrame() {
    // An MPEG-1 frame followed by an MPEG-2 header: different version, so no sync.
    byte[] one = mp3Frame(1);
    byte[] other = {(byte) 0xFF, (byte) 0xF3, (byte) 0x80, (byte) 0xC4, 0, 0, 0, 0};
    byte[] d = Fixtures.concat(one, other);
    assertThat(MpegHeaders.parse(other, 0, 4)).isPositive();
    Recorder r = new Recorder(d);
    Chunker c = new Chunker(ContentKind.MPEG, 1, 5000, r);
    feed(c, d, 0, d.length, A);
    assertThat(r.chunks).isEmpty(); // nothing confirmed: all of it is still junk or pending
    c.end();
    assertThat(r.shape()).containsExactly("0+" + d.length + " A h-1");
  }

  @Test
  void junkWithoutAnySyncGoesOutAsItIsAtTheMax() {
    byte[] d = new byte[10_000];
    new Random(7).nextBytes(d);
    for (int i = 0; i < d.length; i++) {
      if (d[i] == (byte) 0xFF || d[i] == 'I') {
        d[i] = 0;
      }
    }
    Recorder r = new Recorder(d);
    Chunker c = new Chunker(ContentKind.MPEG, 1000, 3000, r);
    feed(c, d, 0, d.length, A);
    assertThat(r.shape()).containsExactly("0+3000 A h-1", "3000+3000 A h-1", "6000+3000 A h-1");
    assertThat(c.staged()).isEqualTo(1000);
    c.end();
    r.assertComplete();
  }

  @Test
  void anId3TagLongerThanTheMaxIsSkippedAsJunk() {
    byte[] tag = Fixtures.fakeId3(7000); // full of false syncs
    byte[] d = Fixtures.concat(tag, mp3Frames(10));
    Recorder r = new Recorder(d);
    Chunker c = new Chunker(ContentKind.MPEG, 1000, 3000, r);
    for (int i = 0; i < d.length; i += 100) {
      feed(c, d, i, Math.min(d.length, i + 100), A);
    }
    c.end();
    r.assertComplete();
    assertThat(starts(r)).startsWith(0, 3000, 6000);
    // After the tag, every cut is on a frame of the real stream.
    for (int s : starts(r).subList(3, r.chunks.size())) {
      assertThat((s - tag.length) % 417).isZero();
    }
  }

  @Test
  void id3LengthReadsTheSyncsafeSizeAndFooter() {
    byte[] tag = Fixtures.fakeId3(300);
    assertThat(Chunker.id3Length(tag, 0, tag.length)).isEqualTo(310);
    tag[5] = 0x10; // footer present
    assertThat(Chunker.id3Length(tag, 0, tag.length)).isEqualTo(320);
    assertThat(Chunker.id3Length(tag, 0, 5)).isEqualTo(MpegHeaders.NEED_MORE);
    tag[7] = (byte) 0x80; // not syncsafe
    assertThat(Chunker.id3Length(tag, 0, tag.length)).isZero();
    assertThat(Chunker.id3Length(new byte[] {'I', 'D', '4'}, 0, 3)).isZero();
  }

  @Test
  void aMetadataChangeInsideJunkCutsRightThere() {
    byte[] junk = new byte[500];
    byte[] d = Fixtures.concat(junk, mp3Frames(6));
    Recorder r = new Recorder(d);
    Chunker c = new Chunker(ContentKind.MPEG, 1000, 5000, r);
    feed(c, d, 0, 200, A);
    feed(c, d, 200, d.length, B);
    c.end();
    assertThat(starts(r)).startsWith(0, 200);
    assertThat(r.chunks.get(0).meta()).isEqualTo(A);
    assertThat(r.chunks.get(1).meta()).isEqualTo(B);
  }

  @Test
  void fuzzedMpegLikeBytesNeverLoseOrReorderAnything() {
    Random rnd = new Random(42);
    for (int round = 0; round < 200; round++) {
      byte[] d = new byte[rnd.nextInt(40_000)];
      rnd.nextBytes(d);
      for (int i = 0; i + 7 < d.length; i += 1 + rnd.nextInt(60)) {
        // Plenty of syncs, valid and broken headers, and ID3 starts.
        switch (rnd.nextInt(4)) {
          case 0 -> System.arraycopy(mp3Frame(0), 0, d, i, 4);
          case 1 -> {
            d[i] = (byte) 0xFF;
            d[i + 1] = (byte) 0xF1;
          }
          case 2 -> System.arraycopy(new byte[] {'I', 'D', '3', 3, 0, 0, 0, 0, 1}, 0, d, i, 8);
          default -> d[i] = (byte) 0xFF;
        }
      }
      if (rnd.nextBoolean() && d.length > 5000) {
        byte[] frames = mp3Frames(8);
        System.arraycopy(frames, 0, d, rnd.nextInt(d.length - frames.length), frames.length);
      }
      int min = 1 + rnd.nextInt(3000);
      int max = min + rnd.nextInt(5000);
      fuzz(ContentKind.MPEG, d, min, max, rnd);
    }
  }

  @Test
  void fuzzedOggLikeBytesNeverLoseOrReorderAnything() {
    Random rnd = new Random(43);
    byte[] opus = Fixtures.load("opus.ogg");
    for (int round = 0; round < 100; round++) {
      byte[] d = Arrays.copyOf(opus, opus.length + rnd.nextInt(5000));
      for (int i = 0; i < 20; i++) {
        int at = rnd.nextInt(d.length - 4);
        if (rnd.nextBoolean()) {
          d[at] ^= (byte) (1 + rnd.nextInt(255)); // breaks a CRC
        } else {
          System.arraycopy(new byte[] {'O', 'g', 'g', 'S'}, 0, d, at, 4);
        }
      }
      fuzz(ContentKind.OGG, d, 1 + rnd.nextInt(2000), 2000 + rnd.nextInt(4000), rnd);
    }
  }

  private static void fuzz(ContentKind kind, byte[] d, int min, int max, Random rnd) {
    IcyMetadata[] metas = {A, B};
    StreamHeader[] last = {null};
    List<Integer> headerLengths = new ArrayList<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Chunker c =
        new Chunker(
            kind,
            min,
            max,
            (frames, meta, header) -> {
              if (header != last[0]) {
                byte[] h = new byte[header.length()];
                header.data().get(h);
                out.writeBytes(h);
                headerLengths.add(h.length);
                last[0] = header;
              }
              assertThat(frames.remaining()).isBetween(1, max + Chunker.maxFrame(kind));
              byte[] b = new byte[frames.remaining()];
              frames.get(b);
              out.writeBytes(b);
            });
    int at = 0;
    while (at < d.length) {
      int n = Math.min(d.length - at, rnd.nextInt(3000));
      c.feed(ByteBuffer.wrap(d, at, n), metas[rnd.nextInt(2)]);
      assertThat(c.staged()).isLessThanOrEqualTo(c.capacity());
      if (rnd.nextInt(10) == 0) {
        c.flush();
      }
      at += n;
    }
    c.end();
    assertThat(out.toByteArray()).isEqualTo(d);
  }

  // ---------------------------------------------------------------- OGG

  static byte[] page(int flags, long granule, int serial, int seq, byte[] body) {
    return OggHeaderRebuildTest.page(flags, granule, serial, seq, body);
  }

  static byte[] body(int n, int fill) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) fill);
    return b;
  }

  @Test
  void multiplexedBosPagesMakeOneHeaderAndJunkBetweenHeaderPagesStaysInIt() {
    byte[] bos1 = page(2, 0, 1, 0, body(30, 1));
    byte[] bos2 = page(2, 0, 2, 0, body(40, 2));
    byte[] junk = body(17, 9);
    byte[] hdr = page(0, 0, 1, 1, body(300, 3));
    byte[] data1 = page(0, 1000, 1, 2, body(600, 4));
    byte[] data2 = page(0, 2000, 2, 1, body(600, 5));
    byte[] d = Fixtures.concat(bos1, bos2, junk, hdr, data1, data2);
    Recorder r = new Recorder(d);
    Chunker c = new Chunker(ContentKind.OGG, 500, 5000, r);
    for (int i = 0; i < d.length; i++) {
      feed(c, d, i, i + 1, A);
    }
    c.end();
    r.assertComplete();
    int headerLength = bos1.length + bos2.length + junk.length + hdr.length;
    assertThat(r.headers).hasSize(1);
    assertThat(r.headers.get(0).length()).isEqualTo(headerLength);
    assertThat(c.header()).isSameAs(r.headers.get(0));
    assertThat(starts(r)).containsExactly(headerLength, headerLength + data1.length);
  }

  @Test
  void aChainedBosFlushesTheStagedPagesWithTheOldHeader() {
    byte[] a = Fixtures.concat(page(2, 0, 1, 0, body(30, 1)), page(0, 10, 1, 1, body(100, 2)));
    byte[] b = Fixtures.concat(page(2, 0, 2, 0, body(30, 3)), page(0, 10, 2, 1, body(100, 4)));
    byte[] d = Fixtures.concat(a, b);
    Recorder r = new Recorder(d);
    Chunker c = new Chunker(ContentKind.OGG, 1000, 5000, r); // the min is never reached
    feed(c, d, 0, d.length, A);
    assertThat(r.chunks).hasSize(1); // the first stream's page, cut by the new BOS
    c.end();
    r.assertComplete();
    assertThat(r.headers).hasSize(2);
    assertThat(r.chunks.get(0).header()).isSameAs(r.headers.get(0));
    assertThat(r.chunks.get(1).header()).isSameAs(r.headers.get(1));
  }

  @Test
  void headerPagesDoNotEndUpInChunksEvenWithAMetadataChangeInsideThem() {
    byte[] bos = page(2, 0, 1, 0, body(30, 1));
    byte[] hdr = page(0, 0, 1, 1, body(300, 3));
    byte[] data = page(0, 1000, 1, 2, body(600, 4));
    byte[] d = Fixtures.concat(bos, hdr, data);
    Recorder r = new Recorder(d);
    Chunker c = new Chunker(ContentKind.OGG, 100, 5000, r);
    feed(c, d, 0, 50, A);
    feed(c, d, 50, d.length, B);
    c.end();
    assertThat(r.shape()).containsExactly((bos.length + hdr.length) + "+" + data.length + " B h0");
  }

  @Test
  void aHeaderWithoutAudioIsKeptButNotEmitted() {
    byte[] bos = page(2, 0, 1, 0, body(30, 1));
    Recorder r = new Recorder(bos);
    Chunker c = new Chunker(ContentKind.OGG, 100, 5000, r);
    feed(c, bos, 0, bos.length, A);
    c.end();
    assertThat(r.chunks).isEmpty();
    assertThat(c.header()).isNotNull();
    assertThat(c.header().length()).isEqualTo(bos.length);
  }

  @Test
  void oggPageLargerThanTheMaxGoesOutAlone() {
    byte[] bos = page(2, 0, 1, 0, body(30, 1));
    byte[] small = page(0, 5, 1, 1, body(100, 2));
    byte[] big = page(0, 10, 1, 2, body(5000, 3));
    byte[] d = Fixtures.concat(bos, small, big, small);
    Recorder r = new Recorder(d);
    Chunker c = new Chunker(ContentKind.OGG, 1000, 2000, r);
    feed(c, d, 0, d.length, A);
    c.end();
    assertThat(r.shape())
        .containsExactly(
            bos.length + "+" + small.length + " A h0",
            (bos.length + small.length) + "+" + big.length + " A h0",
            (bos.length + small.length + big.length) + "+" + small.length + " A h0");
  }
}
