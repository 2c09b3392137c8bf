package dev.floe.swarm.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.swarm.chunk.SignedChunk;
import dev.floe.swarm.chunk.FieldReader;
import dev.floe.swarm.chunk.OriginKey;
import dev.floe.swarm.guard.ChunkGate.Settings;
import dev.floe.swarm.guard.ChunkGate.Verdict;
import dev.floe.swarm.guard.RequestBucket.Outcome;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class GuardTest {
  private static final OriginKey KEY = OriginKey.generate();
  private static final long T = 1_700_000_000_000L;
  /** The clock starts at chunk 100's origin time. */
  private static final long C = T + 50_000;
  private final MutableClock clock = new MutableClock(C);
  private final ChunkGate gate = new ChunkGate(KEY.channelKey(), Settings.DEFAULTS, clock);

  private static SignedChunk chunk(int epoch, long seq, long time) {
    return SignedChunk.sign(KEY, epoch, seq, seq * 8000, time, 500_000, 0, new byte[] {(byte) seq, 1, 2});
  }

  private static SignedChunk chunk(long seq) {
    return chunk(5, seq, T + seq * 500);
  }

  private static SignedChunk reread(byte[] wire) {
    return SignedChunk.read(new FieldReader(ByteBuffer.wrap(wire)));
  }

  @Test
  void acceptsInWindowChunksOnceAndMovesTheEdge() {
    assertThat(gate.edge()).isEqualTo(-1);
    assertThat(gate.offer(chunk(100))).isEqualTo(Verdict.ACCEPTED);
    assertThat(gate.edge()).isEqualTo(100);
    assertThat(gate.epoch()).isEqualTo(5);
    assertThat(gate.offer(chunk(101))).isEqualTo(Verdict.ACCEPTED);
    assertThat(gate.offer(chunk(99))).isEqualTo(Verdict.ACCEPTED);
    assertThat(gate.edge()).isEqualTo(101);
    assertThat(gate.offer(chunk(99))).isEqualTo(Verdict.DUPLICATE);
    assertThat(gate.offer(chunk(101))).isEqualTo(Verdict.DUPLICATE);
    assertThat(gate.offer(chunk(101 - 64))).isEqualTo(Verdict.ACCEPTED);
    assertThat(gate.offer(chunk(101 - 65))).isEqualTo(Verdict.BEHIND_WINDOW);
    // In the window but claiming to be fresh: its seq says it was cut 31 s before the edge.
    assertThat(gate.offer(chunk(5, 101 - 62, C))).isEqualTo(Verdict.CLOCK_SKEW);
    assertThat(gate.offer(chunk(101 + 9))).isEqualTo(Verdict.AHEAD_OF_EDGE);
    assertThat(gate.offer(chunk(101 + 8))).isEqualTo(Verdict.ACCEPTED);
    assertThat(gate.edge()).isEqualTo(109);
  }

  @Test
  void theAheadLimitFollowsTheChunksCutSinceTheEdgeMoved() {
    assertThat(gate.offer(chunk(100))).isEqualTo(Verdict.ACCEPTED);
    clock.advance(java.time.Duration.ofSeconds(10));
    // 20 chunks were cut in 10 s: a node that got nothing meanwhile still takes the live ones.
    assertThat(gate.offer(chunk(100 + 20 + 8))).isEqualTo(Verdict.ACCEPTED);
    assertThat(gate.offer(chunk(128 + 9))).isEqualTo(Verdict.AHEAD_OF_EDGE);
  }

  @Test
  void anAlteredCopyOfAChunkAlreadyTakenIsForgedNotADuplicate() {
    SignedChunk good = chunk(100);
    assertThat(gate.offer(good)).isEqualTo(Verdict.ACCEPTED);
    byte[] bad = good.toBytes();
    bad[bad.length - 1] ^= 1;
    assertThat(gate.offer(reread(bad))).isEqualTo(Verdict.FORGED);
    assertThat(gate.offer(chunk(100))).as("an honest copy").isEqualTo(Verdict.DUPLICATE);
  }

  @Test
  void forgedBitsAnywhereAndWrongKeyAreForged() {
    gate.offer(chunk(100));
    byte[] good = chunk(101).toBytes();
    for (int bit = 0; bit < good.length * 8; bit++) {
      byte[] bad = good.clone();
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      SignedChunk c;
      try {
        c = reread(bad);
      } catch (IllegalArgumentException malformed) {
        continue; // the frame decoder drops it as MALFORMED
      }
      assertThat(gate.offer(c)).as("bit %d", bit).isNotEqualTo(Verdict.ACCEPTED);
    }
    // Payload and signature bits are always caught by the signature.
    byte[] bad = good.clone();
    bad[bad.length - 1] ^= 1;
    assertThat(gate.offer(reread(bad))).isEqualTo(Verdict.FORGED);
    assertThat(Verdict.FORGED.banWorthy()).isTrue();
    ChunkGate other = new ChunkGate(OriginKey.generate().channelKey(), Settings.DEFAULTS, clock);
    assertThat(other.offer(chunk(100))).isEqualTo(Verdict.FORGED);
    assertThat(gate.offer(chunk(101))).isEqualTo(Verdict.ACCEPTED);
  }

  @Test
  void truncatedAndOversizedPayloads() {
    gate.offer(chunk(100));
    byte[] good = chunk(101).toBytes();
    assertThat(gate.offer(reread(Arrays.copyOf(good, good.length - 1))))
        .isEqualTo(Verdict.TRUNCATED);
    assertThat(gate.offer(reread(Arrays.copyOf(good, good.length + 1))))
        .isEqualTo(Verdict.OVERSIZED);
    ChunkGate small = new ChunkGate(KEY.channelKey(),
        new Settings(64, 8, Duration.ofSeconds(30), 2), clock);
    assertThat(small.offer(chunk(100))).isEqualTo(Verdict.OVERSIZED);
    assertThat(Verdict.TRUNCATED.banWorthy()).isTrue();
    assertThat(Verdict.OVERSIZED.banWorthy()).isFalse();
  }

  @Test
  void originTimeMustBeWithinThirtySecondsOfTheEstimate() {
    assertThat(gate.offer(chunk(5, 1, C - 30_001))).isEqualTo(Verdict.CLOCK_SKEW);
    assertThat(gate.offer(chunk(5, 1, C + 30_001))).isEqualTo(Verdict.CLOCK_SKEW);
    assertThat(gate.offer(chunk(5, 1, C + 30_000))).isEqualTo(Verdict.ACCEPTED);
    // The estimate follows the origin's clock as seen on accepted chunks.
    clock.advance(Duration.ofSeconds(1));
    assertThat(gate.offer(chunk(5, 2, C + 31_000))).isEqualTo(Verdict.ACCEPTED);
    clock.advance(Duration.ofMinutes(5));
    assertThat(gate.offer(chunk(5, 3, C + 31_500))).isEqualTo(Verdict.CLOCK_SKEW);
  }

  @Test
  void oldEpochReplayIsStaleAndANewerEpochTakesOver() {
    SignedChunk old = chunk(4, 500, T - 10_000);
    assertThat(gate.offer(chunk(100))).isEqualTo(Verdict.ACCEPTED);
    assertThat(gate.offer(old)).isEqualTo(Verdict.STALE_EPOCH);
    clock.advance(Duration.ofSeconds(2));
    assertThat(gate.offer(chunk(9, 0, T + 52_000))).isEqualTo(Verdict.ACCEPTED);
    assertThat(gate.epoch()).isEqualTo(9);
    assertThat(gate.edge()).isZero();
    assertThat(gate.offer(chunk(101))).isEqualTo(Verdict.STALE_EPOCH);
  }

  @Test
  void tuneInFromAVerifiedHeaderSetsTheEdge() {
    clock.advance(Duration.ofSeconds(100));
    assertThat(gate.tuneIn(chunk(300).header())).isEqualTo(Verdict.ACCEPTED);
    assertThat(gate.edge()).isEqualTo(300);
    assertThat(gate.offer(chunk(200))).isEqualTo(Verdict.BEHIND_WINDOW);
    assertThat(gate.offer(chunk(290))).isEqualTo(Verdict.ACCEPTED);
    assertThat(gate.tuneIn(chunk(280).header())).isEqualTo(Verdict.ACCEPTED);
    assertThat(gate.edge()).isEqualTo(300);
    assertThat(new ChunkGate(OriginKey.generate().channelKey(), Settings.DEFAULTS, clock)
        .tuneIn(chunk(300).header())).isEqualTo(Verdict.FORGED);
  }

  @Test
  void settingsAreValidatedNamingTheField() {
    assertThatThrownBy(() -> new Settings(0, 8, Duration.ofSeconds(1), 10))
        .hasMessageContaining("window");
    assertThatThrownBy(() -> new Settings(64, -1, Duration.ofSeconds(1), 10))
        .hasMessageContaining("ahead");
    assertThatThrownBy(() -> new Settings(64, 8, Duration.ZERO, 10))
        .hasMessageContaining("clockTolerance");
    assertThatThrownBy(() -> new Settings(64, 8, Duration.ofSeconds(1), 0))
        .hasMessageContaining("maxPayloadBytes");
  }

  @Test
  void banListExpiresOnTheInjectedClockAndStaysBounded() {
    BanList<String> bans = new BanList<>(clock, 2);
    bans.ban("203.0.113.1", BanList.FORGED_BAN);
    assertThat(bans.banned("203.0.113.1")).isTrue();
    assertThat(bans.banned("203.0.113.2")).isFalse();
    bans.ban("203.0.113.1", Duration.ofMinutes(1)); // a shorter ban does not shorten it
    assertThat(bans.remaining("203.0.113.1")).contains(Duration.ofHours(1));
    clock.advance(Duration.ofMinutes(59));
    assertThat(bans.banned("203.0.113.1")).isTrue();
    bans.ban("a", Duration.ofMinutes(10));
    bans.ban("b", Duration.ofMinutes(20)); // full: the ban ending soonest goes
    assertThat(bans.banned("203.0.113.1")).isFalse();
    assertThat(bans.size()).isEqualTo(2);
    clock.advance(Duration.ofMinutes(10));
    assertThat(bans.banned("a")).isFalse();
    assertThat(bans.size()).isEqualTo(1);
    assertThatThrownBy(() -> new BanList<String>(clock, 0)).hasMessageContaining("capacity");
  }

  @Test
  void requestBucketTellsABurstFromAFlood() {
    RequestBucket bucket = new RequestBucket(8, 64, clock);
    assertThat(bucket.take(64)).isEqualTo(Outcome.SERVE); // a joiner's whole-window repair
    assertThat(bucket.take(1)).isEqualTo(Outcome.REFUSE);
    clock.advance(Duration.ofMillis(250));
    assertThat(bucket.take(1)).isEqualTo(Outcome.SERVE); // 2 tokens back, 1 owed
    for (int i = 0; i < 4; i++) {
      assertThat(bucket.take(16)).isEqualTo(Outcome.REFUSE);
    }
    assertThat(bucket.take(16)).isEqualTo(Outcome.FLOOD);
    clock.advance(Duration.ofSeconds(20)); // refills to the burst
    assertThat(bucket.take(16)).isEqualTo(Outcome.SERVE);
    // A steady honest rate is always served.
    RequestBucket steady = new RequestBucket(8, 64, clock);
    for (int i = 0; i < 1000; i++) {
      clock.advance(Duration.ofMillis(500));
      assertThat(steady.take(4)).isEqualTo(Outcome.SERVE);
    }
    assertThatThrownBy(() -> new RequestBucket(0, 1, clock)).hasMessageContaining("positive");
  }
}
