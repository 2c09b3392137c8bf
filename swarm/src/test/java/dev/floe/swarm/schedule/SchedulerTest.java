package dev.floe.swarm.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The scheduler on hand-built situations. At 128 kbit/s chunks are 0.5 s and 8000 bytes; the lag is
 * 8 s. {@link #anchored} anchors a node at t = 100 s with chunk 200 cut at 99.5 s, so chunk
 * {@code seq} is due {@code 7500 + (seq - 200) x 500} ms after that: 189 and 190 fall in the same
 * 1 s deadline slot (2 s to go), 191 in the next one.
 */
class SchedulerTest {
  private static final long T = 100_000;
  private static final int CHUNK = 8000;

  private static Scheduler anchored(SchedulerConfig cfg) {
    Scheduler s = new Scheduler(cfg, 1, 0, 42, T);
    s.start(T);
    s.onCandidates(T, List.of(), 0, 200, T - 500);
    return s;
  }

  /** A partner with a small advertised capacity: one request in flight at a time. */
  private static void partner(Scheduler s, int peer) {
    s.onPartnerAdded(T, new Hello(peer, true, true, 40, 64, 0, -1, 0));
  }

  /** A map claiming {@code seqs}, with no latest per substream, so no parent is chosen. */
  private static Holdings map(long... seqs) {
    long bits = 0;
    for (long seq : seqs) {
      bits |= 1L << (seq - 150);
    }
    return new Holdings(0, 150, bits, new long[] {-1, -1, -1, -1}, 0);
  }

  private static List<Long> requested(List<Action> actions) {
    List<Long> seqs = new ArrayList<>();
    for (Action a : actions) {
      if (a instanceof Action.Request r) {
        seqs.add(r.seq());
      }
    }
    return seqs;
  }

  @Test
  void deadlineFirstBeatsRarest() {
    Scheduler s = anchored(SchedulerConfig.of(128, 512));
    partner(s, 2);
    partner(s, 3);
    s.onBufferMap(T, 2, map(189));
    s.onBufferMap(T, 3, map(189, 191));

    List<Action> out = s.tick(T);

    assertThat(s.playSeq()).isEqualTo(187);
    assertThat(requested(out)).containsExactly(189L, 191L);
    assertThat(out).contains(new Action.Request(2, 0, 189, 2000), new Action.Request(3, 0, 191, 3000));
  }

  @Test
  void aChunkThePlayoutIsStuckOnIsStillPulledAndAStallFallsBack() {
    Scheduler s = anchored(SchedulerConfig.of(128, 512));
    partner(s, 2);
    long late = s.deadline(187) + 100;
    s.tick(late);
    assertThat(s.playSeq()).isGreaterThan(187);
    s.onBufferMap(late, 2, map(187));
    assertThat(requested(s.tick(late + 100))).doesNotContain(187L);

    s.repairFrom(187);
    assertThat(requested(s.tick(late + 200))).contains(187L);
    assertThat(s.tick(s.deadline(187) + Scheduler.STALL_MS - 1))
        .noneMatch(a -> a instanceof Action.FallbackStart);
    assertThat(s.tick(s.deadline(187) + Scheduler.STALL_MS))
        .anyMatch(a -> a instanceof Action.FallbackStart);
    assertThat(s.inFallback()).isTrue();
  }

  @Test
  void repairPullsGoOnDuringAFallbackOnlyWhenAsked() {
    for (boolean on : new boolean[] {false, true}) {
      Scheduler s = anchored(SchedulerConfig.of(128, 512));
      s.pullDuringFallback(on);
      partner(s, 2);
      long late = s.deadline(187) + 100;
      s.tick(late);
      s.repairFrom(187);
      s.tick(s.deadline(187) + Scheduler.STALL_MS);
      assertThat(s.inFallback()).isTrue();
      s.repairFrom(-1);
      long now = s.deadline(187) + Scheduler.STALL_MS + 100;
      long urgent = s.playSeq() + 2;
      s.onBufferMap(now, 2, map(urgent));
      assertThat(requested(s.tick(now)).contains(urgent)).as("pull during fallback " + on)
          .isEqualTo(on);
    }
  }

  @Test
  void rarestFirstAmongEqualDeadlines() {
    Scheduler s = anchored(SchedulerConfig.of(128, 512));
    partner(s, 2);
    partner(s, 3);
    s.onBufferMap(T, 2, map(189, 190));
    s.onBufferMap(T, 3, map(189));

    List<Action> out = s.tick(T);

    assertThat(requested(out)).containsExactly(190L, 189L);
    assertThat(out).contains(new Action.Request(2, 0, 190, 2500), new Action.Request(3, 0, 189, 2000));
  }

  @Test
  void chunkNoPartnerHasGoesToTheOriginNearItsDeadlineOnly() {
    Scheduler s = anchored(SchedulerConfig.of(128, 512));
    partner(s, 2);
    s.onBufferMap(T, 2, map(190));

    List<Action> out = s.tick(T);

    assertThat(out).contains(new Action.OriginRequest(0, 187, 1000));
    assertThat(out).filteredOn(a -> a instanceof Action.OriginRequest).hasSize(1);
    assertThat(s.tick(T + 250)).doesNotContain(new Action.OriginRequest(0, 187, 750));
  }

  @Test
  void emptyTokenBucketRefusesUntilItRefills() {
    Scheduler s = anchored(SchedulerConfig.of(128, 128));
    partner(s, 2);
    for (long seq = 190; seq < 194; seq++) {
      s.onChunk(T, 2, 0, seq, CHUNK, T - 500 + (seq - 200) * 500, true);
    }

    assertThat(s.onRequest(T, 2, 0, 190, 3000)).containsExactly(new Action.Serve(2, 0, 190, CHUNK));
    assertThat(s.onRequest(T, 2, 0, 191, 3000)).containsExactly(new Action.Serve(2, 0, 191, CHUNK));
    assertThat(s.onRequest(T, 2, 0, 192, 3000)).containsExactly(new Action.Refuse(2, 0, 192));
    assertThat(s.onRequest(T + 1000, 2, 0, 192, 3000))
        .containsExactly(new Action.Serve(2, 0, 192, CHUNK));
  }

  @Test
  void chunkNotHeldIsRefused() {
    Scheduler s = anchored(SchedulerConfig.of(128, 512));
    partner(s, 2);

    assertThat(s.onRequest(T, 2, 0, 195, 3000)).containsExactly(new Action.Refuse(2, 0, 195));
  }

  @Test
  void twoRequestersShareTheUploadFairly() {
    Scheduler s = anchored(SchedulerConfig.of(128, 256));
    partner(s, 2);
    partner(s, 3);
    for (long seq = 190; seq < 200; seq++) {
      s.onChunk(T, 2, 0, seq, CHUNK, T - 500 + (seq - 200) * 500, true);
    }
    int[] served = new int[4];
    for (int i = 0; i < 600; i++) {
      long now = T + i * 25L;
      int from = i % 4 == 0 ? 3 : 2;
      if (i % 2 == 0 || from == 3) {
        for (Action a : s.onRequest(now, from, 0, 190 + i % 10, 3000)) {
          served[from] += a instanceof Action.Serve ? 1 : 0;
        }
      }
    }
    // Peer 2 asks twice as often as peer 3; 15 s at 256 kbit/s carry about 60 chunks.
    assertThat(served[2] + served[3]).isBetween(55, 65);
    assertThat((double) served[3] / (served[2] + served[3])).isBetween(0.4, 0.6);
  }

  @Test
  void originServesOnlyNearTheDeadlineAndTwicePerTenSeconds() {
    Scheduler origin = new Scheduler(SchedulerConfig.of(128, 320).asOrigin(2), 0, 0, 1, T);
    origin.start(T);
    for (long seq = 190; seq <= 200; seq++) {
      origin.onChunk(T, 0, 0, seq, CHUNK, T - 500 + (seq - 200) * 500, true);
    }

    assertThat(origin.onRequest(T, 9, 0, 195, 5000)).containsExactly(new Action.Refuse(9, 0, 195));
    assertThat(origin.onRequest(T, 9, 0, 195, 1000))
        .containsExactly(new Action.Serve(9, 0, 195, CHUNK));
    assertThat(origin.onRequest(T, 9, 0, 196, 1000))
        .containsExactly(new Action.Serve(9, 0, 196, CHUNK));
    assertThat(origin.onRequest(T + 100, 9, 0, 197, 1000))
        .containsExactly(new Action.Refuse(9, 0, 197));
    assertThat(origin.onRequest(T + 10_000, 9, 0, 197, 1000))
        .containsExactly(new Action.Serve(9, 0, 197, CHUNK));
  }

  @Test
  void inASwarmOfTwoBothPeersTakeEverySubstreamFromTheOrigin() {
    Scheduler origin = new Scheduler(SchedulerConfig.of(128, 320).asOrigin(2), 0, 0, 1, T);
    for (int peer = 1; peer <= 2; peer++) {
      origin.onPartnerAdded(T, new Hello(peer, false, true, 20, 512, 0, -1, 0));
    }
    assertThat(origin.onSubscribe(T, 1, 0, 0, 0)).isEmpty();
    assertThat(origin.onSubscribe(T, 2, 1, 0, 0)).isEmpty();
    // Every partner has one: the slots left go to whoever asks (all 8 between the two).
    for (int sub = 1; sub < 4; sub++) {
      assertThat(origin.onSubscribe(T, 1, sub, 0, 0)).as("peer 1, substream %d", sub).isEmpty();
    }
    for (int sub : new int[] {0, 2, 3}) {
      assertThat(origin.onSubscribe(T, 2, sub, 0, 0)).as("peer 2, substream %d", sub).isEmpty();
    }
    assertThat(origin.ownMap().subscribed()).as("every slot of a holder of several").isEqualTo(0b1111);
    assertThat(origin.onChunk(T, 0, 0, 7, CHUNK, 3500, true)).containsExactlyInAnyOrder(
        new Action.Push(1, 0, 7, CHUNK), new Action.Push(2, 0, 7, CHUNK));
  }

  @Test
  void aNewFirstTierPartnerTakesBackASlotFromOneHoldingSeveral() {
    Scheduler origin = new Scheduler(SchedulerConfig.of(128, 320).asOrigin(2), 0, 0, 1, T);
    for (int peer = 1; peer <= 2; peer++) {
      origin.onPartnerAdded(T, new Hello(peer, false, true, 20, 512, 0, -1, 0));
    }
    for (int sub = 0; sub < 4; sub++) {
      origin.onSubscribe(T, 1, sub, 0, 0);
      origin.onSubscribe(T, 2, sub, 0, 0);
    }
    origin.onPartnerAdded(T, new Hello(3, false, true, 20, 512, 0, -1, 0));
    // A partner with an extra slot may not take more while partner 3 has none.
    assertThat(origin.ownMap().subscribed()).as("slots it would take back").isEqualTo(0b1111);
    assertThat(origin.onSubscribe(T, 3, 1, 0, 0)).containsExactly(
        new Action.RefuseSubscribe(1, 1));
    assertThat(origin.onSubscribe(T, 1, 1, 0, 0)).containsExactly(
        new Action.RefuseSubscribe(1, 1));
    assertThat(origin.onChunk(T, 0, 0, 5, CHUNK, 2500, true)).containsExactlyInAnyOrder(
        new Action.Push(2, 0, 5, CHUNK), new Action.Push(3, 0, 5, CHUNK));
  }

  @Test
  void originTakesTwoChildrenPerSubstreamAndOneSubstreamPerPartner() {
    Scheduler origin = new Scheduler(SchedulerConfig.of(128, 320).asOrigin(2), 0, 0, 1, T);
    for (int peer = 1; peer <= 4; peer++) { // partner 4 has no substream yet: it will ask
      origin.onPartnerAdded(T, new Hello(peer, false, true, 20, 512, 0, -1, 0));
    }

    assertThat(origin.onSubscribe(T, 1, 0, 0, 0)).isEmpty();
    assertThat(origin.onSubscribe(T, 2, 0, 0, 0)).isEmpty();
    assertThat(origin.onSubscribe(T, 3, 0, 0, 0)).containsExactly(new Action.RefuseSubscribe(3, 0));
    assertThat(origin.onSubscribe(T, 3, 1, 0, 0)).isEmpty();
    // Peer 1 already carries substream 0, and substream 1 has a copy.
    assertThat(origin.onSubscribe(T, 1, 1, 0, 0)).containsExactly(new Action.RefuseSubscribe(1, 1));
    // Substream 2 has no copy at all: a second substream is allowed.
    assertThat(origin.onSubscribe(T, 2, 2, 0, 0)).isEmpty();
    // Substream 0 is full, but partner 2 holds two: partner 4 could take one of them back.
    assertThat(origin.ownMap().subscribed()).isEqualTo(0b1111);
    assertThat(origin.onChunk(T, 0, 0, 4, CHUNK, 2000, true))
        .containsExactly(new Action.Push(1, 0, 4, CHUNK), new Action.Push(2, 0, 4, CHUNK));
  }

  @Test
  void fallsBackWhenStarvedAndReturnsWhenTheSwarmDeliversAgain() {
    Scheduler s = new Scheduler(SchedulerConfig.of(128, 512), 1, 0, 7, 0);
    s.start(0);
    s.onCandidates(0, List.of(), 0, 0, 0);
    List<Long> starts = new ArrayList<>();
    List<Long> stops = new ArrayList<>();
    for (long now = 0; now <= 90_000; now += 250) {
      if (now == 40_000) {
        s.onPartnerAdded(now, new Hello(5, true, true, 40, 512, 0, -1, 0));
      }
      long cut = now / 500 - 2;
      if (now % 500 == 0 && cut >= 0 && !starts.isEmpty()) {
        s.onChunk(now, Scheduler.FALLBACK, 0, cut, CHUNK, cut * 500, true);
        if (now >= 40_000) {
          s.onChunk(now, 5, 0, cut, CHUNK, cut * 500, true);
        }
      }
      for (Action a : s.tick(now)) {
        if (a instanceof Action.FallbackStart) {
          starts.add(now);
        } else if (a instanceof Action.FallbackStop) {
          stops.add(now);
        }
      }
    }
    // Chunks due from 10 s on count; the third miss is at 11 s.
    assertThat(starts).containsExactly(11_000L);
    // Only the direct pull until 40 s: no return; the swarm's copies from 40 s on: back after 20
    // chunks due in time, from about 48 s (the first chunk due after 40 s was cut at 32 s).
    assertThat(stops).hasSize(1);
    assertThat(stops.get(0)).isBetween(50_000L, 60_000L);
    assertThat(s.inFallback()).isFalse();
    assertThat(s.stats().fallbacks()).isEqualTo(1);
    assertThat(s.stats().fallbackBytes()).isPositive();
  }

  @Test
  void forgedChunkDropsTheSender() {
    Scheduler s = anchored(SchedulerConfig.of(128, 512));
    partner(s, 2);

    assertThat(s.onChunk(T, 2, 0, 195, CHUNK, T, false)).containsExactly(new Action.Drop(2));
    assertThat(s.partnerIds()).isEmpty();
    assertThat(s.has(195)).isFalse();
  }

  @Test
  void aFirstTierChildNeverGivesUpTheOriginForALatePush() {
    Scheduler s = anchored(SchedulerConfig.of(128, 512));
    s.onPartnerAdded(T, new Hello(0, true, true, 5, 0, 0, -1, 0));
    partner(s, 2);
    s.onBufferMap(T, 0, new Holdings(0, 150, 0, new long[] {200, 197, 198, 199}, 0b0001));
    s.onBufferMap(T, 2, new Holdings(0, 150, 0, new long[] {200, 197, 198, 199}, 0));
    for (int sub = 1; sub < 4; sub++) {
      if (s.parent(sub) == 0) {
        s.onSubscribeRefused(T, 0, sub);
      }
    }
    assertThat(s.parent(0)).as("first-tier substream").isEqualTo(0);

    // The origin pushes nothing for 10 s while partner 2 keeps up: the origin stays the parent.
    for (long t = T + 500; t <= T + 10_000; t += 500) {
      long edge = 200 + (t - T) / 500;
      long[] latest = new long[4];
      for (int sub = 0; sub < 4; sub++) {
        latest[sub] = edge - Math.floorMod(edge - sub, 4);
      }
      s.onBufferMap(t, 2, new Holdings(0, Math.max(0, edge - 63), 0, latest, 0));
      s.onBufferMap(t, 0, new Holdings(0, Math.max(0, edge - 63), 0, latest, 0));
      s.tick(t);
      assertThat(s.parent(0)).as("parent of substream 0 at +%d ms", t - T).isEqualTo(0);
    }
  }

  @Test
  void deadlinesFollowTheOriginClockWhenChunksRunLongerThanNominal() {
    Scheduler s = anchored(SchedulerConfig.of(128, 512));
    int period = 522;
    long next = 187;
    long end = T + 400L * period;
    for (long t = T; t <= end; t += 100) {
      while (T - 500 + (next - 200) * period + 200 <= t) {
        s.onChunk(t, 0, 0, next, CHUNK, T - 500 + (next - 200) * period, true);
        next++;
      }
      s.tick(t);
    }
    SwarmStats st = s.stats();
    assertThat(st.due()).as("chunks due").isGreaterThan(300);
    assertThat(st.continuity()).as("continuity with 522 ms chunks").isEqualTo(1.0);
    assertThat(s.inFallback()).isFalse();
  }

  @Test
  void configNamesTheBadKey() {
    assertThatThrownBy(() -> SchedulerConfig.of(128, 512).withLagMs(1000))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lagMs");
    assertThatThrownBy(() -> SchedulerConfig.of(128, -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("uploadKbps");
    assertThat(SchedulerConfig.of(64, 256).chunkMs()).isEqualTo(1000);
    // 6 s plus 0.5 s per decade of nodes, rounded up to 0.5 s (measured: docs/performance.md).
    assertThat(SchedulerConfig.advisedLagMs(50)).isEqualTo(7000);
    assertThat(SchedulerConfig.advisedLagMs(10_000)).isEqualTo(8000);
    assertThat(SchedulerConfig.advisedLagMs(10_001)).isEqualTo(8500);
  }
}
