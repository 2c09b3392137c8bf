package dev.floe.swarm.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.floe.swarm.nat.NatPmp;

/**
 * The NAT-PMP answer readers on hostile datagrams (a LAN host can send the node anything): they
 * throw nothing but {@link IllegalArgumentException}, and a mapping they accept has ports and a
 * lifetime in range. A small fixed format, so a short budget.
 */
class NatPmpFuzzTest {
  @FuzzTest(maxDuration = "5s")
  void read(byte[] data) {
    try {
      NatPmp.Mapping m = NatPmp.readMapping(data, data.length);
      assertThat(m.internalPort()).isBetween(0, 0xFFFF);
      assertThat(m.externalPort()).isBetween(0, 0xFFFF);
      assertThat(m.lifetimeSeconds()).isBetween(0L, 0xFFFF_FFFFL);
      assertThat(data.length >= 16 || !m.ok()).as("a success needs all 16 bytes").isTrue();
    } catch (IllegalArgumentException expected) {
      // refused with its reason
    }
    try {
      assertThat(NatPmp.readAddress(data, data.length).external()).isNotNull();
    } catch (IllegalArgumentException expected) {
      // refused with its reason
    }
  }
}
