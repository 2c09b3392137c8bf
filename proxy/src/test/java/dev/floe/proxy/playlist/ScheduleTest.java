package dev.floe.proxy.playlist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.proxy.playlist.Schedule.Position;
import dev.floe.proxy.playlist.Schedule.Slot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleTest {
  private static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");

  /** 0: 10 s before the first start; 1: at T0, 60 s; 2: follows; 3: at T0+200 s, cuts 2. */
  private static final List<Slot> SLOTS = List.of(
      new Slot(null, Duration.ofSeconds(10)),
      new Slot(T0, Duration.ofSeconds(60)),
      new Slot(null, Duration.ofSeconds(200)),
      new Slot(T0.plusSeconds(200), Duration.ofSeconds(30)));

  @Test
  void shouldJoinMidItemAtTheRightOffset() {
    assertThat(Schedule.at(SLOTS, T0.plusMillis(42_250)))
        .isEqualTo(new Position(1, Duration.ofMillis(42_250)));
    assertThat(Schedule.at(SLOTS, T0.plusSeconds(61)))
        .isEqualTo(new Position(2, Duration.ofSeconds(1)));
  }

  @Test
  void shouldLeadUpToTheFirstStartAndWaitBeforeIt() {
    assertThat(Schedule.at(SLOTS, T0.minusSeconds(4)))
        .isEqualTo(new Position(0, Duration.ofSeconds(6)));
    assertThat(Schedule.at(SLOTS, T0.minusSeconds(15)))
        .isEqualTo(new Position(0, Duration.ofSeconds(-5)));
  }

  @Test
  void shouldCutAnItemWhenTheNextStarts() {
    assertThat(Schedule.at(SLOTS, T0.plusSeconds(200)))
        .isEqualTo(new Position(3, Duration.ZERO));
    assertThat(Schedule.cut(SLOTS, 2)).isEqualTo(T0.plusSeconds(200));
    assertThat(Schedule.cut(SLOTS, 1)).isNull();
  }

  @Test
  void shouldWaitThroughAGap() {
    List<Slot> gap = List.of(new Slot(T0, Duration.ofSeconds(10)),
        new Slot(T0.plusSeconds(30), Duration.ofSeconds(10)));

    assertThat(Schedule.at(gap, T0.plusSeconds(12)))
        .isEqualTo(new Position(1, Duration.ofSeconds(-18)));
  }

  @Test
  void shouldEndAfterTheLastItemAndIgnoreUnscheduledLists() {
    assertThat(Schedule.at(SLOTS, T0.plusSeconds(230))).isNull();
    assertThat(Schedule.at(List.of(new Slot(null, Duration.ofSeconds(5))), T0)).isNull();
    assertThat(Schedule.scheduled(SLOTS)).isTrue();
  }
}
