package dev.floe.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.icy.resume.FloePosition;
import org.junit.jupiter.api.Test;

/** Where a listener's cursor starts, from its {@code Floe-Position} and the window held. */
class ResumePlanTest {
  private static final String EPOCH = "00000000deadbeef";
  private static final long OLDEST = 10_000;
  private static final long NEWEST = 50_000;
  private static final long DELAY = 4_000;
  private static final long BURST = 8_192;

  private static ResumePlan plan(String header) {
    return ResumePlan.of(header == null ? null : FloePosition.parse(header), EPOCH, OLDEST,
        NEWEST, DELAY, BURST);
  }

  @Test
  void aPlayerWithoutHeaderStartsDelayPlusBurstBehindLiveAndIsPacedByTheDelay() {
    ResumePlan p = plan(null);
    assertThat(p.kind()).isEqualTo(ResumePlan.Kind.BEHIND_LIVE);
    assertThat(p.behindLive()).isEqualTo(DELAY + BURST);
    assertThat(p.delay()).isEqualTo(DELAY);
  }

  @Test
  void aNodeAskingAnyGetsTheBurstUpToTheLiveEdge() {
    ResumePlan p = plan("*");
    assertThat(p.kind()).isEqualTo(ResumePlan.Kind.BEHIND_LIVE);
    assertThat(p.behindLive()).isEqualTo(BURST);
    assertThat(p.delay()).isZero();
  }

  @Test
  void aPositionInsideTheWindowOfTheSameEpochResumesExactlyThere() {
    assertThat(plan(EPOCH + ":20000")).isEqualTo(new ResumePlan(ResumePlan.Kind.AT, 0, 20_000, 0));
  }

  @Test
  void theWindowsEdgesAreInclusive() {
    assertThat(plan(EPOCH + ":" + OLDEST).at()).isEqualTo(OLDEST);
    assertThat(plan(EPOCH + ":" + NEWEST).at()).isEqualTo(NEWEST);
  }

  @Test
  void positionsOutsideTheWindowOrOfAnotherEpochAreNotHeld() {
    assertThat(plan(EPOCH + ":" + (OLDEST - 1)).kind()).isEqualTo(ResumePlan.Kind.NOT_HELD);
    assertThat(plan(EPOCH + ":" + (NEWEST + 1)).kind()).isEqualTo(ResumePlan.Kind.NOT_HELD);
    assertThat(plan("00000000cafebabe:20000").kind()).isEqualTo(ResumePlan.Kind.NOT_HELD);
  }
}
