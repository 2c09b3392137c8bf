package dev.floe.proxy.config;

import static dev.floe.proxy.config.Fixtures.parse;
import static dev.floe.proxy.config.Fixtures.problems;
import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.swarm.node.PeerLimits;
import dev.floe.swarm.wire.FrameType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code peer-*} keys of {@code floe.server.limits}: defaults, values read, bad ones named. */
class PeerLimitsConfigTest {
  private static LimitSettings limits(String body) throws InvalidConfigException {
    return parse("floe.server.limits { " + body + " }").server().limits();
  }

  @Test
  void defaultsAreTheSwarmsBuiltInLimits() throws Exception {
    LimitSettings l = parse("").server().limits();

    assertThat(l.peer()).isEqualTo(PeerLimits.DEFAULTS);
    assertThat(l.peer().frameBytes()).isEqualTo(FrameType.MAX_FRAME);
    assertThat(l.peer().requestsPerSecond()).isEqualTo(20);
    assertThat(l.peer().requestBurst()).isEqualTo(64);
    assertThat(l.peer().queueBytes()).isEqualTo(256 * 1024);
    assertThat(l.peerPartners()).isEqualTo(16);
  }

  @Test
  void valuesAreRead() throws Exception {
    LimitSettings l = limits("peer-frame-bytes = 16KiB, peer-requests-per-second = 5,"
        + " peer-request-burst = 10, peer-queue-bytes = 64KiB, peer-partners = 8");

    assertThat(l.peer()).isEqualTo(new PeerLimits(16 * 1024, 5, 10, 64 * 1024));
    assertThat(l.peerPartners()).isEqualTo(8);
    assertThat(l.maxConnectionsPerIp()).as("other keys keep their defaults").isEqualTo(256);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "peer-frame-bytes = 1KiB|peer-frame-bytes|between 4KiB and 65792",
      "peer-frame-bytes = 1MiB|peer-frame-bytes|65792",
      "peer-frame-bytes = lots|peer-frame-bytes|size in bytes",
      "peer-requests-per-second = 0|peer-requests-per-second|1",
      "peer-requests-per-second = 2.5|peer-requests-per-second|whole number",
      "peer-request-burst = -1|peer-request-burst|1",
      "peer-queue-bytes = 100|peer-queue-bytes|between 4KiB",
      "peer-queue-bytes = 1GiB|peer-queue-bytes|64",
      "peer-partners = 0|peer-partners|1",
      "peer-partners = 65|peer-partners|64",
      "peer-connections = 5|peer-connections|unknown key"
  })
  void badValuesAreNamed(String body, String key, String reason) {
    assertThat(problems("floe.server.limits { " + body + " }")).anySatisfy(p -> {
      assertThat(p.key()).isEqualTo("server.limits." + key);
      assertThat(p.reason()).contains(reason);
    });
  }

  @Test
  void everyBadKeyIsReportedAtOnce() {
    assertThat(problems("floe.server.limits { peer-frame-bytes = 10, peer-partners = 0,"
        + " peer-request-burst = 0 }")).extracting(InvalidConfigException.Problem::key)
        .contains("server.limits.peer-frame-bytes", "server.limits.peer-partners",
            "server.limits.peer-request-burst");
  }
}
