package dev.floe.swarm.nat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@link PortMapping} and {@link NatPmpClient} against a NAT-PMP gateway on loopback. */
class PortMappingTest {
  @Test
  void mapsRenewsAtHalfTheLifetimeAndRemovesOnClose() throws Exception {
    try (FakeGateway gw = new FakeGateway()) {
      gw.shift = 1000;
      List<Integer> changes = new CopyOnWriteArrayList<>();
      PortMapping m = PortMapping.open(new NatPmpClient(gw.address(), 3), 8000, 2,
          changes::add);
      assertThat(m.externalPort()).isEqualTo(9000);
      assertThat(gw.lifetimeOf(0)).isEqualTo(2);
      // granted 2 s: renewed after 1 s, with the external port granted before as the suggestion
      await().atMost(Duration.ofSeconds(10)).until(() -> gw.requests.size() >= 2);
      assertThat(java.nio.ByteBuffer.wrap(gw.requests.get(1)).getShort(6)).isEqualTo((short) 9000);
      gw.shift = 2000; // the router rebooted and hands out another port
      await().atMost(Duration.ofSeconds(10)).until(() -> m.externalPort() == 10_000);
      assertThat(changes).containsExactly(10_000);
      m.close();
      int last = gw.requests.size() - 1;
      assertThat(gw.lifetimeOf(last)).isZero();
    }
  }

  @Test
  void aRefusalNamesTheRouterAndTheReason() throws Exception {
    try (FakeGateway gw = new FakeGateway()) {
      gw.result = 2;
      assertThatThrownBy(() -> PortMapping.open(new NatPmpClient(gw.address(), 2), 8000, 60,
          p -> { })).isInstanceOf(IOException.class)
          .hasMessageContaining("router 127.0.0.1 refused to map TCP port 8000")
          .hasMessageContaining("not authorized or refused");
    }
  }

  @Test
  void aSilentRouterGivesUpAfterTheRetriesWithAClearMessage() throws Exception {
    try (FakeGateway gw = new FakeGateway()) {
      gw.silent = true;
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> new NatPmpClient(gw.address(), 2).mapTcp(8000, 8000, 60))
          .isInstanceOf(IOException.class).hasMessageContaining("no NAT-PMP answer")
          .hasMessageContaining("after 2 tries");
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertThat(ms).isBetween(700L, 5_000L); // 250 + 500 ms of waiting
      assertThat(gw.requests).hasSize(2);
    }
  }

  @Test
  void answersFromAnotherAddressAreIgnored() throws Exception {
    try (FakeGateway gw = new FakeGateway()) {
      gw.spoof = true; // a forged answer (external port 1) from another port comes first
      NatPmp.Mapping m = new NatPmpClient(gw.address(), 3).mapTcp(8000, 8000, 60);
      assertThat(gw.spoofed).isEqualTo(1);
      assertThat(m.externalPort()).isEqualTo(8000);
    }
  }
}
