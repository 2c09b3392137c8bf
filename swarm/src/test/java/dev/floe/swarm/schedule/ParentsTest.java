package dev.floe.swarm.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Push parents at 128 kbit/s with K = 4, anchored as in {@link SchedulerTest}: chunk 200 cut at
 * 99.5 s, the play point at 187. Peer 0 is the origin.
 */
class ParentsTest {
  private static final long T = 100_000;
  private final Map<Integer, Partner> partners = new LinkedHashMap<>();
  private final ChunkWindow window = new ChunkWindow(4);
  private final Requests requests = new Requests();
  private final PlayoutClock clock = new PlayoutClock(500, 8000, false, T);
  private final List<Action> out = new ArrayList<>();
  private final Parents parents = new Parents(SchedulerConfig.of(128, 512), 0,
      new SplittableRandom(1), partners, window, requests, clock, out::add);

  ParentsTest() {
    window.reset(0);
    clock.join(T);
    clock.anchor(T, 200, T - 500);
  }

  private Partner partner(int id, int subscribed, long... latest) {
    Partner p = new Partner(new Hello(id, true, true, 40, 512, 0, -1, 0), 4, 32_000, T, T);
    p.map = new Holdings(0, 150, 0, latest, subscribed);
    p.mapAt = T;
    partners.put(id, p);
    return p;
  }

  private Partner upToDate(int id) {
    return partner(id, 0, 196, 197, 198, 199);
  }

  @Test
  void aParentIsAPartnerNotLaggingAndItsPushesStartAfterWhatIsHeldOrAsked() {
    upToDate(2);
    partner(3, 0, 180, 181, 182, 183);
    window.add(188, 8000, T, true);
    requests.track(192, 5, T, T + 1000);

    parents.selectMissing(T);

    assertThat(out).containsExactly(new Action.Subscribe(2, 0, 0, 196),
        new Action.Subscribe(2, 1, 0, 189), new Action.Subscribe(2, 2, 0, 190),
        new Action.Subscribe(2, 3, 0, 187));
    assertThat(parents.describe()).isEqualTo("[2, 2, 2, 2]");
    assertThat(parents.parentOf(2)).isEqualTo(0b1111);
    assertThat(parents.parentOf(3)).isZero();
    assertThat(parents.subscribed()).isEqualTo(0b1111);
    assertThat(parents.subscribedFrom(0)).isEqualTo(196);
  }

  @Test
  void aRefusingPartnerIsHeldBackAndReplacedAtOnce() {
    Partner p = upToDate(2);
    parents.selectMissing(T);
    Partner origin = upToDate(0);
    upToDate(4);
    out.clear();

    parents.refused(p, 0, T);
    parents.refused(origin, 3, T);

    assertThat(p.rejectedUntil[0]).isEqualTo(T + Scheduler.REJECT_HOLD_MS);
    assertThat(origin.rejectedUntil[3]).isEqualTo(T + Scheduler.ORIGIN_REJECT_HOLD_MS);
    assertThat(parents.parent(0)).isIn(0, 4);
    assertThat(parents.parent(3)).as("not the origin's substream").isEqualTo(2);
    assertThat(out).hasSize(1).noneMatch(a -> a instanceof Action.Unsubscribe);
  }

  @Test
  void aLateParentIsReplacedAtOnceButTheOriginNeverIs() {
    upToDate(2);
    partner(0, 0b0010, -1, -1, -1, -1);
    parents.selectMissing(T);
    assertThat(parents.parentOf(2)).as("the origin's map shows nothing").isEqualTo(0b1111);

    parents.check(T);
    assertThat(parents.parent(1)).as("a free slot of the origin's").isZero();
    assertThat(out).contains(new Action.Unsubscribe(2, 1));

    upToDate(3);
    long later = T + 20_000;
    assertThat(parents.suspect(later, 0)).as("nothing pushed for 20 s").isTrue();
    parents.check(later);

    assertThat(parents.describe()).isEqualTo("[3, 0, 3, 3]");
    assertThat(parents.suspect(later, 0)).as("just switched").isFalse();
    assertThat(parents.suspect(later, 1)).as("the origin is late too, and pulled from").isTrue();
  }

  @Test
  void twoPulledChunksReplaceTheParentAtTheNextCheckAfterTheHold() {
    upToDate(2);
    parents.selectMissing(T);
    parents.check(T);
    upToDate(3);
    long from = parents.subscribedFrom(0);
    parents.pulled(0, from - 4);
    parents.pulled(0, from);
    // Chunk 220 (cut at 109.5 s) pushed in time: the parent is not late.
    parents.arrived(0, 2, 220, T + 10_000, T + 9500);
    parents.arrived(0, 3, 236, T + 10_000, T + 9500);

    parents.check(T + Scheduler.SWITCH_HOLD_MS);
    assertThat(parents.parent(0)).as("one miss counted").isEqualTo(2);

    parents.pulled(0, from + 4);
    parents.check(T + Scheduler.SWITCH_HOLD_MS + Scheduler.PARENT_CHECK_MS);
    assertThat(parents.parent(0)).isEqualTo(3);
  }

  @Test
  void aGonePartnersSubstreamsAreLeftOrReplacedAsTold() {
    upToDate(2);
    parents.selectMissing(T);
    upToDate(3);
    partners.remove(2);
    out.clear();

    parents.gone(2, T, false);
    assertThat(parents.subscribed()).isZero();
    assertThat(out).isEmpty();

    parents.selectMissing(T);
    partners.remove(3);
    partners.put(2, new Partner(new Hello(2, true, true, 40, 512, 0, -1, 0), 4, 32_000, T, T));
    partners.get(2).map = new Holdings(0, 150, 0, new long[] {196, 197, 198, 199}, 0);
    out.clear();
    parents.gone(3, T, true);
    assertThat(parents.parentOf(2)).isEqualTo(0b1111);
    assertThat(out).hasSize(4).allMatch(a -> a instanceof Action.Subscribe);
  }
}
