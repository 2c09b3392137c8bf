package dev.floe.proxy.mount;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.internal.PlatformDependent;
import org.junit.jupiter.api.Test;

class MemoryBudgetTest {
  private static final long MIB = 1024 * 1024;

  @Test
  void buffersAreGrantedThenShrunkThenRefusedAndReleasedMemoryIsReused() {
    MemoryBudget b = new MemoryBudget(5 * MIB);
    assertThat(b.reserve("/a", 2 * MIB)).isEqualTo(2 * MIB);
    assertThat(b.reserve("/b", 2 * MIB)).isEqualTo(2 * MIB);
    assertThat(b.reserve("/c", 2 * MIB)).as("shrunk to what is left").isEqualTo(MIB);
    assertThat(b.reserve("/d", 2 * MIB)).as("less than the floor is left: refused").isZero();
    assertThat(b.shrunk()).isOne();
    assertThat(b.refused()).isOne();
    assertThat(b.reserved()).isEqualTo(5 * MIB);
    b.release(2 * MIB);
    assertThat(b.reserve("/d", 2 * MIB)).isEqualTo(2 * MIB);
    assertThat(b.metrics()).contains("floe_buffer_budget_bytes 5242880\n",
        "floe_buffer_reserved_bytes 5242880\n", "floe_buffers_refused_total 1\n",
        "floe_buffers_shrunk_total 1\n");
  }

  @Test
  void aConfiguredMountGetsTheFloorEvenOverTheBudget() {
    MemoryBudget b = new MemoryBudget(MIB);
    assertThat(b.reserve("/a", MIB)).isEqualTo(MIB);
    assertThat(b.reserveAtLeastFloor("/relay", 4 * MIB)).isEqualTo(MemoryBudget.FLOOR);
    assertThat(b.reserveAtLeastFloor("/tiny", 1024)).as("a buffer smaller than the floor")
        .isEqualTo(1024);
  }

  @Test
  void theAutomaticBudgetIsAShareOfTheJvmsDirectMemory() {
    long direct = PlatformDependent.maxDirectMemory();
    assertThat(MemoryBudget.forJvm(0).total()).isEqualTo((long) (direct * 0.625));
    assertThat(MemoryBudget.forJvm(7 * MIB).total()).isEqualTo(7 * MIB);
  }
}
