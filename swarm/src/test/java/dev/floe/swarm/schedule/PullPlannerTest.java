package dev.floe.swarm.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Pull planning at 128 kbit/s with K = 4, anchored as in {@link SchedulerTest}: chunk 200 cut at
 * 99.5 s, the play point at 187, chunk {@code seq} due {@code 7500 + (seq - 200) x 500} ms after
 * t = 100 s. Peer 0 is the origin.
 */
class PullPlannerTest {
  private static final long T = 100_000;
  private final SchedulerConfig cfg = SchedulerConfig.of(128, 512);
  private final Map<Integer, Partner> partners = new LinkedHashMap<>();
  private final ChunkWindow window = new ChunkWindow(4);
  private final Requests requests = new Requests();
  private final PlayoutClock clock = new PlayoutClock(500, 8000, false, T);
  private final List<Action> out = new ArrayList<>();
  private final Parents parents = new Parents(cfg, 0, new SplittableRandom(1), partners, window,
      requests, clock, out::add);
  private final PullPlanner planner = new PullPlanner(cfg, 1, 0, partners, window, requests, clock,
      parents, out::add);

  PullPlannerTest() {
    window.reset(0);
    clock.join(T);
    clock.anchor(T, 200, T - 500);
  }

  /** A partner claiming {@code seqs}; {@code capacityKbps} 40 allows one request in flight. */
  private Partner partner(int id, int capacityKbps, long... seqs) {
    Partner p = new Partner(new Hello(id, true, true, 40, capacityKbps, 0, -1, 0), 4,
        capacityKbps * 125.0 / 2, T, T);
    long bits = 0;
    for (long seq : seqs) {
      bits |= 1L << (seq - 150);
    }
    p.map = new Holdings(0, 150, bits, new long[] {-1, -1, -1, -1}, 0);
    p.mapAt = T;
    partners.put(id, p);
    return p;
  }

  private List<Action> pull(long now, long repairFrom) {
    out.clear();
    planner.pull(now, repairFrom);
    return List.copyOf(out);
  }

  @Test
  void deadlineFirstThenRarestFromTheQuickestHolderWithAFreeSlot() {
    window.add(187, 8000, T, true);
    partner(2, 40, 189, 190, 191);
    partner(3, 512, 189, 191);

    // 189 and 190 share a deadline slot (2 s to go): the rarer 190 first, from its only holder,
    // then 189 from the other (2 has no free slot left); 191 is in the next slot.
    assertThat(pull(T, -1)).containsExactly(new Action.Request(2, 0, 190, 2500),
        new Action.Request(3, 0, 189, 2000), new Action.Request(3, 0, 191, 3000));
    assertThat(requests.pendingAt(190, 2)).isTrue();
    assertThat(partners.get(2).inflight).isEqualTo(1);
    assertThat(pull(T, -1)).as("all in flight").isEmpty();
  }

  @Test
  void aSlowPartnerGetsOneRequestAtATime() {
    window.add(187, 8000, T, true);
    partner(2, 40, 189, 190, 191);

    assertThat(pull(T, -1)).containsExactly(new Action.Request(2, 0, 189, 2000));
  }

  @Test
  void aChunkWhosePushIsExpectedWaitsForItsGrace() {
    Partner p = partner(2, 512, 196, 197, 198, 199);
    p.map = new Holdings(0, 150, 0b1111L << 46, new long[] {196, 197, 198, 199}, 0);
    parents.selectMissing(T);
    out.clear();
    window.add(187, 8000, T, true);
    window.add(188, 8000, T, true);
    window.add(189, 8000, T, true);
    window.add(190, 8000, T, true);
    window.add(191, 8000, T, true);

    // 196 to 199 are pushed (subscribed from there on) and 4.5 s or more from their deadline.
    assertThat(pull(T, -1)).isEmpty();
    // 2 s before 196's deadline, under the grace, it is pulled even from its parent.
    assertThat(pull(clock.deadline(196) - Scheduler.PUSH_GRACE_MS + 1, -1))
        .contains(new Action.Request(2, 0, 196, Scheduler.PUSH_GRACE_MS - 1));
    assertThat(parents.suspect(T, 0)).isFalse();
  }

  @Test
  void aChunkNoPartnerHasIsAskedOfTheOriginOnceNearItsDeadline() {
    partner(2, 512, 190);

    assertThat(pull(T, -1)).contains(new Action.OriginRequest(0, 187, 1000))
        .filteredOn(a -> a instanceof Action.OriginRequest).hasSize(1);
    assertThat(requests.pendingAt(187, 0)).isTrue();
    requests.clear(187);
    assertThat(pull(T + 250, -1)).as("asked once").doesNotContain(
        new Action.OriginRequest(0, 187, 750));
  }

  @Test
  void aChunkPlayoutIsStuckOnIsPulledFirstAndAskedOfTheOriginAgainAfterARetry() {
    partner(2, 512, 195);
    long late = clock.deadline(187) + 100;
    clock.playDue(late, seq -> { });

    assertThat(pull(late, 187)).first().isEqualTo(new Action.OriginRequest(0, 187, 1));
    requests.clear(187);
    assertThat(pull(late + Scheduler.ORIGIN_RETRY_MS - 1, 187))
        .doesNotContain(new Action.OriginRequest(0, 187, 1));
    requests.clear(187);
    assertThat(pull(late + Scheduler.ORIGIN_RETRY_MS, 187)).first()
        .isEqualTo(new Action.OriginRequest(0, 187, 1));
    requests.clear(187);
    assertThat(pull(late + Scheduler.ORIGIN_RETRY_MS, -1)).as("not stuck: given up")
        .doesNotContain(new Action.OriginRequest(0, 187, 1));
  }
}
