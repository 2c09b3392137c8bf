package dev.floe.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.floe.icy.meta.IcyMetadata;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StreamBufferTest {
  static final IcyMetadata META = IcyMetadata.of("t", null);

  /** {@code n} bytes whose values follow their stream position, to check contents. */
  static ByteBuffer bytes(long start, int n) {
    ByteBuffer b = ByteBuffer.allocate(n);
    for (int i = 0; i < n; i++) {
      b.put(valueAt(start + i));
    }
    return b.flip();
  }

  static byte valueAt(long position) {
    return (byte) (position * 31 + (position >>> 8));
  }

  static Chunk append(StreamBuffer b, int n) {
    return b.append(bytes(b.newest(), n), META, null);
  }

  static List<Chunk> drain(Cursor c) throws LappedException {
    List<Chunk> out = new ArrayList<>();
    for (Chunk ch; (ch = c.next()) != null; ) {
      out.add(ch);
    }
    return out;
  }

  // ---------------------------------------------------------------- limits

  @Test
  void limitsAreValidated() {
    assertThatThrownBy(() -> BufferLimits.ofBytes(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BufferLimits(10, -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BufferLimits.of(10, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(BufferLimits.of(10, Duration.ofSeconds(2)).maxAgeNanos()).isEqualTo(2_000_000_000L);
    assertThat(BufferLimits.of(10, Duration.ZERO).hasAgeLimit()).isFalse();
    assertThat(BufferLimits.of(10, null).maxAgeNanos()).isZero();
    assertThat(BufferLimits.of(10, Duration.ofDays(365L * 1000)).maxAgeNanos())
        .isEqualTo(Long.MAX_VALUE);
  }

  // ---------------------------------------------------------------- appending

  @Test
  void appendCopiesIntoDirectReadOnlyMemoryAndPublishes() {
    StreamBuffer b = new StreamBuffer(BufferLimits.ofBytes(1000));
    assertThat(b.latest()).isNull();
    assertThat(b.oldest()).isZero();
    assertThat(b.newest()).isZero();
    ByteBuffer src = bytes(0, 100);
    StreamHeader h = StreamHeader.of(ByteBuffer.wrap(new byte[] {1, 2, 3}));
    IcyMetadata m = IcyMetadata.of("song", "http://x");
    Chunk c = b.append(src, m, h);

    assertThat(src.position()).isZero(); // the caller's buffer is untouched
    src.put(0, (byte) 99); // and not shared
    assertThat(c.data().get(0)).isEqualTo(valueAt(0));

    assertThat(c.sequence()).isZero();
    assertThat(c.start()).isZero();
    assertThat(c.end()).isEqualTo(100);
    assertThat(c.length()).isEqualTo(100);
    assertThat(c.metadata()).isSameAs(m);
    assertThat(c.header()).isSameAs(h);
    assertThat(b.latest()).isSameAs(c);
    assertThat(b.newest()).isEqualTo(100);
    assertThat(b.oldest()).isZero();
    assertThat(b.chunkCount()).isEqualTo(1);
    assertThat(b.bytes()).isEqualTo(100);

    ByteBuffer d1 = c.data();
    ByteBuffer d2 = c.data();
    assertThat(d1).isNotSameAs(d2);
    assertThat(d1.isDirect()).isTrue();
    assertThat(d1.isReadOnly()).isTrue();
    assertThat(d1.position()).isZero();
    assertThat(d1.limit()).isEqualTo(100);
    d1.position(50); // one reader's position does not move another's
    assertThat(c.data().position()).isZero();
    assertThatThrownBy(() -> c.data().put(0, (byte) 1)).isInstanceOf(ReadOnlyBufferException.class);
    assertThat(d2).isEqualTo(bytes(0, 100));

    Chunk c2 = append(b, 50);
    assertThat(c2.sequence()).isEqualTo(1);
    assertThat(c2.start()).isEqualTo(100);
    assertThat(c2.end()).isEqualTo(150);
  }

  @Test
  void appendRejectsEmptyDataAndNullMetadata() {
    StreamBuffer b = new StreamBuffer(BufferLimits.ofBytes(1000));
    assertThatThrownBy(() -> b.append(ByteBuffer.allocate(0), META, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.append(ByteBuffer.allocate(1), null, null))
        .isInstanceOf(NullPointerException.class);
    assertThat(b.chunkCount()).isZero();
  }

  @Test
  void streamHeaderIsACopyInDirectReadOnlyMemory() {
    ByteBuffer src = ByteBuffer.wrap(new byte[] {0, 1, 2, 3, 4});
    src.position(1);
    StreamHeader h = StreamHeader.of(src);
    assertThat(src.position()).isEqualTo(1);
    src.put(2, (byte) 77);
    assertThat(h.length()).isEqualTo(4);
    ByteBuffer d = h.data();
    assertThat(d.isDirect()).isTrue();
    assertThat(d.isReadOnly()).isTrue();
    assertThat(d).isEqualTo(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}));
    assertThat(h.data()).isNotSameAs(d);
    assertThat(StreamHeader.of(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}))).isNotEqualTo(h);
  }

  @Test
  void positionsCanStartAnywhere() throws Exception {
    StreamBuffer b = new StreamBuffer(BufferLimits.ofBytes(1000), () -> 0, 1_000_000);
    assertThat(b.oldest()).isEqualTo(1_000_000);
    assertThat(b.newest()).isEqualTo(1_000_000);
    Cursor early = b.open(0);
    assertThat(early.position()).isEqualTo(1_000_000);
    Chunk c = append(b, 10);
    assertThat(c.start()).isEqualTo(1_000_000);
    assertThat(early.next()).isSameAs(c);
    assertThat(early.position()).isEqualTo(1_000_010);
  }

  // ---------------------------------------------------------------- eviction

  @Test
  void evictsOldestChunksByBytesButKeepsTheNewest() throws Exception {
    StreamBuffer b = new StreamBuffer(BufferLimits.ofBytes(1000));
    for (int i = 0; i < 3; i++) {
      append(b, 300);
    }
    assertThat(b.bytes()).isEqualTo(900);
    assertThat(b.chunkCount()).isEqualTo(3);
    append(b, 300); // 1200 > 1000: the oldest goes
    assertThat(b.bytes()).isEqualTo(900);
    assertThat(b.chunkCount()).isEqualTo(3);
    assertThat(b.oldest()).isEqualTo(300);
    assertThat(b.newest()).isEqualTo(1200);
    append(b, 100); // 1000 is not over the limit
    assertThat(b.bytes()).isEqualTo(1000);
    assertThat(b.oldest()).isEqualTo(300);

    Chunk big = append(b, 5000); // alone over the limit: kept, everything else goes
    assertThat(b.chunkCount()).isEqualTo(1);
    assertThat(b.bytes()).isEqualTo(5000);
    assertThat(b.oldest()).isEqualTo(big.start());
    assertThat(b.latest()).isSameAs(big);
    assertThat(drain(b.open(0))).containsExactly(big);
  }

  @Test
  void evictsByAgeWithTheInjectedClock() {
    AtomicLong now = new AtomicLong(1_000);
    StreamBuffer b = new StreamBuffer(BufferLimits.of(1 << 20, Duration.ofNanos(100)), now::get, 0);
    Chunk a = append(b, 10); // at 1000
    now.set(1_050);
    append(b, 10); // at 1050
    now.set(1_100);
    append(b, 10); // a is exactly 100 old: not older than the max
    assertThat(b.chunkCount()).isEqualTo(3);
    assertThat(a.appendedNanos()).isEqualTo(1_000);
    now.set(1_101);
    append(b, 10); // a is 101 old
    assertThat(b.chunkCount()).isEqualTo(3);
    assertThat(b.oldest()).isEqualTo(10);
    now.set(10_000);
    Chunk last = append(b, 10); // everything older goes; the newest stays
    assertThat(b.chunkCount()).isEqualTo(1);
    assertThat(b.latest()).isSameAs(last);
    now.set(20_000);
    b.evictExpired(); // the newest chunk is kept even when old
    assertThat(b.chunkCount()).isEqualTo(1);
  }

  @Test
  void evictExpiredWorksWithoutAppending() {
    AtomicLong now = new AtomicLong(0);
    StreamBuffer b = new StreamBuffer(BufferLimits.of(1 << 20, Duration.ofNanos(100)), now::get, 0);
    b.evictExpired(); // empty: nothing to do
    append(b, 10);
    now.set(50);
    append(b, 10);
    now.set(120);
    b.evictExpired();
    assertThat(b.chunkCount()).isEqualTo(1);
    assertThat(b.oldest()).isEqualTo(10);
  }

  @Test
  void noAgeLimitMeansChunksNeverAge() {
    AtomicLong now = new AtomicLong(0);
    StreamBuffer b = new StreamBuffer(BufferLimits.ofBytes(1000), now::get, 0);
    append(b, 10);
    now.set(Long.MAX_VALUE / 2);
    append(b, 10);
    assertThat(b.chunkCount()).isEqualTo(2);
  }

  // ---------------------------------------------------------------- opening

  @Test
  void openClampsAndAlignsToChunkStarts() throws Exception {
    StreamBuffer b = new StreamBuffer(BufferLimits.ofBytes(1000));
    for (int i = 0; i < 10; i++) {
      append(b, 100 + i); // starts 0, 100, 201, 303, 406, 510, 615, 721, 828, 936; end 1045
    }
    assertThat(b.oldest()).isEqualTo(100);
    assertThat(b.newest()).isEqualTo(1045);

    assertThat(b.open(Long.MIN_VALUE).position()).isEqualTo(100);
    assertThat(b.open(0).position()).isEqualTo(100);
    assertThat(b.open(100).position()).isEqualTo(100);
    assertThat(b.open(200).position()).isEqualTo(100);
    assertThat(b.open(201).position()).isEqualTo(201);
    assertThat(b.open(500).position()).isEqualTo(406);
    assertThat(b.open(935).position()).isEqualTo(828);
    assertThat(b.open(936).position()).isEqualTo(936);
    assertThat(b.open(1044).position()).isEqualTo(936);
    assertThat(b.open(1045).position()).isEqualTo(1045);
    assertThat(b.open(Long.MAX_VALUE).position()).isEqualTo(1045);

    Cursor c = b.open(500);
    Chunk first = c.next();
    assertThat(first.start()).isEqualTo(406);
    assertThat(first.sequence()).isEqualTo(4);
    assertThat(c.position()).isEqualTo(510);
    assertThat(drain(c)).extracting(Chunk::start).containsExactly(510L, 615L, 721L, 828L, 936L);
    assertThat(c.position()).isEqualTo(1045);
    assertThat(c.lag()).isZero();

    // Every position in the buffer opens at the chunk holding it.
    for (long p = b.oldest(); p < b.newest(); p++) {
      Chunk ch = b.open(p).next();
      assertThat(ch.start()).isLessThanOrEqualTo(p);
      assertThat(ch.end()).isGreaterThan(p);
    }
  }

  @Test
  void openBehindLiveIsBurstAndResume() throws Exception {
    StreamBuffer b = new StreamBuffer(BufferLimits.ofBytes(10_000));
    for (int i = 0; i < 10; i++) {
      append(b, 100);
    }
    assertThat(b.openBehindLive(0).position()).isEqualTo(1000);
    assertThat(b.openBehindLive(-5).position()).isEqualTo(1000);
    assertThat(b.openBehindLive(1).position()).isEqualTo(900);
    assertThat(b.openBehindLive(250).position()).isEqualTo(700);
    assertThat(b.openBehindLive(250).lag()).isEqualTo(300);
    assertThat(b.openBehindLive(Long.MAX_VALUE).position()).isZero();
  }

  @Test
  void aCursorAtNewestWaitsForTheNextChunk() throws Exception {
    StreamBuffer b = new StreamBuffer(BufferLimits.ofBytes(1000));
    Cursor onEmpty = b.open(0);
    assertThat(onEmpty.next()).isNull();
    assertThat(onEmpty.lag()).isZero();
    Chunk c0 = append(b, 10);
    assertThat(onEmpty.lag()).isEqualTo(10);
    Cursor live = b.openBehindLive(0);
    assertThat(live.position()).isEqualTo(10);
    assertThat(live.next()).isNull();
    assertThat(live.next()).isNull();
    Chunk c1 = append(b, 20);
    assertThat(live.next()).isSameAs(c1);
    assertThat(live.next()).isNull();
    assertThat(onEmpty.next()).isSameAs(c0);
    assertThat(onEmpty.next()).isSameAs(c1);
  }

  @Test
  void aLappedReaderIsToldHowMuchItLost() throws Exception {
    StreamBuffer b = new StreamBuffer(BufferLimits.ofBytes(1000));
    for (int i = 0; i < 5; i++) {
      append(b, 100);
    }
    Cursor slow = b.open(0);
    assertThat(slow.next().start()).isZero();
    assertThat(slow.position()).isEqualTo(100);
    for (int i = 0; i < 10; i++) {
      append(b, 100); // 1500 bytes: [500, 1500) held
    }
    assertThat(b.oldest()).isEqualTo(500);

    LappedException e = catchThrowableOfType(LappedException.class, slow::next);
    assertThat(e.wanted()).isEqualTo(100);
    assertThat(e.oldest()).isEqualTo(500);
    assertThat(e.lostBytes()).isEqualTo(400);
    assertThat(e.getMessage()).contains("400 bytes lost").contains("100").contains("500");
    // The cursor does not move on by itself: it keeps telling.
    assertThat(slow.position()).isEqualTo(100);
    assertThatThrownBy(slow::next).isInstanceOf(LappedException.class);

    Cursor resumed = b.open(e.oldest());
    assertThat(resumed.next().start()).isEqualTo(500);
  }

  @Test
  void aReaderPositionedExactlyAtTheEvictedBoundaryIsLapped() throws Exception {
    StreamBuffer b = new StreamBuffer(BufferLimits.ofBytes(200));
    append(b, 100);
    append(b, 100);
    Cursor c = b.open(0);
    append(b, 100); // evicts [0, 100)
    assertThatThrownBy(c::next)
        .isInstanceOfSatisfying(LappedException.class, e -> assertThat(e.lostBytes()).isEqualTo(100));
  }

  @Test
  void theRingGrowsWhenTheByteLimitHoldsMoreChunksThanSlots() throws Exception {
    StreamBuffer b = new StreamBuffer(BufferLimits.ofBytes(100_000));
    assertThat(b.slots()).isEqualTo(StreamBuffer.INITIAL_SLOTS);
    Cursor all = b.open(0);
    Cursor some = b.open(0);
    for (int i = 0; i < 150_000; i++) {
      append(b, 1);
      if (i % 1000 == 0) {
        assertThat(drain(some)).isNotEmpty();
      }
    }
    assertThat(b.chunkCount()).isEqualTo(100_000);
    assertThat(b.slots()).isEqualTo(1 << 17);
    assertThat(b.oldest()).isEqualTo(50_000);
    assertThatThrownBy(all::next).isInstanceOf(LappedException.class);
    List<Chunk> rest = drain(b.open(0));
    assertThat(rest).hasSize(100_000);
    for (int i = 0; i < rest.size(); i++) {
      assertThat(rest.get(i).start()).isEqualTo(50_000 + i);
      assertThat(rest.get(i).data().get(0)).isEqualTo(valueAt(50_000 + i));
    }
    assertThat(b.open(123_456).next().start()).isEqualTo(123_456);
  }

  @Test
  void manyCursorsShareTheSameMemory() throws Exception {
    StreamBuffer b = new StreamBuffer(BufferLimits.ofBytes(1000));
    append(b, 100);
    Chunk x = b.open(0).next();
    Chunk y = b.open(0).next();
    assertThat(x).isSameAs(y);
    assertThat(x.toString()).contains("0..100");
    assertThat(b.toString()).contains("1 chunks");
  }
}
