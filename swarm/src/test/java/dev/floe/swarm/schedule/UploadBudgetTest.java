package dev.floe.swarm.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The upload budget at 128 kbit/s: chunks of 8000 bytes cost 8164 with header and signature; a cap
 * of 256 kbit/s fills 32 bytes per ms up to 32000.
 */
class UploadBudgetTest {
  private static Partner partner(int id, long now) {
    return new Partner(new Hello(id, true, true, 40, 512, 0, -1, 0), 4, 32_000, now, now);
  }

  @Test
  void pushesAlwaysGoAndHoldBackServingUntilTheBucketRefills() {
    UploadBudget b = new UploadBudget(SchedulerConfig.of(128, 128), 0);
    Partner p = partner(2, 0);
    b.push(0, 8000);
    b.push(0, 8000);
    b.push(0, 8000);

    assertThat(b.mayServe(p, List.of(p), 0)).isFalse();
    assertThat(b.mayServe(p, List.of(p), 1000)).as("refilled 16000, owed 8164").isFalse();
    assertThat(b.mayServe(p, List.of(p), 1100)).isTrue();
  }

  @Test
  void aRequesterWithinItsFairShareIsServedWhenTheBucketIsUnderHalf() {
    UploadBudget b = new UploadBudget(SchedulerConfig.of(128, 256), 0);
    Partner p = partner(2, 0);
    Partner child = partner(3, 0);
    child.childMask = 0b1;
    for (int i = 0; i < 4; i++) {
      b.push(0, 8000);
    }
    List<Partner> all = List.of(p, child);

    // At 500 ms: 15344 tokens (under half), p's share of 16 bytes/ms is 8000, short of a chunk.
    assertThat(b.mayServe(p, all, 500)).isFalse();
    // At 520 ms: 15984 tokens, still under half, and p's share holds 8320.
    assertThat(b.mayServe(p, all, 520)).isTrue();
    assertThat(b.mayServe(p, all, 520)).as("share spent, bucket at 7820").isFalse();
  }

  @Test
  void anUnusedShareIsLentWhileTheBucketIsHalfFull() {
    UploadBudget b = new UploadBudget(SchedulerConfig.of(128, 256), 0);
    Partner p = partner(2, 0);
    Partner q = partner(3, 0);
    q.childMask = 0b1;

    assertThat(b.mayServe(p, List.of(p, q), 0)).as("no share yet, bucket full").isTrue();
    assertThat(b.mayServe(p, List.of(p, q), 0)).as("23836 left").isTrue();
    assertThat(b.mayServe(p, List.of(p, q), 0)).as("15672 left: under half").isFalse();
  }

  @Test
  void aPeerTakesChildrenWhilePushesStayWithin80PercentOfItsCap() {
    // 4000 bytes/s per (partner, substream) against 0.8 x 32000: six pairs fit, seven do not.
    UploadBudget b = new UploadBudget(SchedulerConfig.of(128, 256), 0);
    Partner p = partner(2, 0);
    Partner q = partner(3, 0);
    p.childMask = 0b1111;
    q.childMask = 0b0001;
    assertThat(b.acceptsChild(List.of(p, q))).isTrue();
    q.childMask = 0b0011;
    assertThat(b.acceptsChild(List.of(p, q))).isFalse();
  }

  @Test
  void theOriginServesNearTheDeadlineTwicePer10SecondsFromItsOwnBucket() {
    // The origin's last-resort bucket: 6400 bytes/s, 25600 burst.
    UploadBudget b = new UploadBudget(SchedulerConfig.of(128, 320).asOrigin(2), 0);
    long t = 100_000;

    assertThat(b.originMayServe(9, Scheduler.LAST_RESORT_MS + 1, t)).isFalse();
    assertThat(b.originMayServe(9, Scheduler.LAST_RESORT_MS, t)).isTrue();
    assertThat(b.originMayServe(9, 1000, t)).isTrue();
    assertThat(b.originMayServe(9, 1000, t + 100)).as("third within 10 s").isFalse();
    assertThat(b.originMayServe(10, 1000, t + 100)).as("another requester").isTrue();
    assertThat(b.originMayServe(11, 1000, t + 100)).as("bucket at 1748").isFalse();
    assertThat(b.originMayServe(9, 1000, t + 10_000)).isTrue();
  }
}
