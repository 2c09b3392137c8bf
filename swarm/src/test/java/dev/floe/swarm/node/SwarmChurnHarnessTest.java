package dev.floe.swarm.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The shape of the proxy's real-process churn test in one JVM: an origin and 19 peers (512 kbit/s
 * caps, all connectable, lag 8 s); at the end of each "minute" ({@code floe.swarm.minuteMs}, 20 s
 * by default to keep the module suite short; the real test's is 60 s) 4 peers are killed and
 * replaced: the next 4 in turn after the first 6, as the real test keeps its listeners there (or
 * at random with {@code floe.swarm.randomVictims}), for {@code floe.swarm.rounds} rounds (3), and
 * the run goes on half a minute after the last one. Every node's continuity is sampled every 2 s;
 * each node's minimum must stay at or above 0.999, and every surviving node must be off the direct
 * pull at the end. The synthetic chunks are exactly 500 ms long, so this does not show the deadline
 * drift of real MP3 chunks ({@code SchedulerTest} covers that).
 */
@EnabledIfSystemProperty(named = "floe.swarm.churnHarness", matches = "true",
    disabledReason = "80 s; a debugging aid for the churn faults (SwarmChurnTest runs the real"
        + " thing in CI): -Dfloe.swarm.churnHarness=true")
class SwarmChurnHarnessTest {
  private static final int PEERS = Integer.getInteger("floe.swarm.churnPeers", 19);
  private static final int KEPT = 6;
  private static final int PER_ROUND = 4;
  private static final int LAG_MS = 8000;
  private static final long MINUTE_MS = Long.getLong("floe.swarm.minuteMs", 20_000);
  private static final boolean RANDOM_VICTIMS = Boolean.getBoolean("floe.swarm.randomVictims");
  private static final int ROUNDS = Integer.getInteger("floe.swarm.rounds", 3);

  private final Map<String, Double> minContinuity = new LinkedHashMap<>();

  @Test
  void repeatedChurnKeepsEveryNodeOnTheSwarm() throws Exception {
    SplittableRandom random = new SplittableRandom(Long.getLong("floe.swarm.seed", 7));
    try (TestSwarm swarm = new TestSwarm(2, LAG_MS)) {
      swarm.publish();
      List<TestSwarm.Peer> peers = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (int i = 0; i < PEERS; i++) {
        peers.add(swarm.addPeer(512, true));
        names.add("peer-" + i);
        waitMs(500);
      }
      int replaced = 0;
      List<String> errors = new ArrayList<>();
      for (int round = 1; round <= ROUNDS; round++) {
        observe(swarm, peers, names, MINUTE_MS, "round " + round);
        for (int k = 0; k < PER_ROUND; k++) {
          // as the real test: the next ones in turn; -Dfloe.swarm.randomVictims=true: at random
          int victim = RANDOM_VICTIMS ? KEPT + random.nextInt(PEERS - KEPT)
              : KEPT + (replaced % (PEERS - KEPT));
          TestSwarm.Peer old = peers.get(victim);
          old.recorder().errors().forEach(e -> errors.add(names.get(victim) + ": " + e));
          swarm.kill(old);
          replaced++;
          peers.set(victim, swarm.addPeer(512, true));
          names.set(victim, "peer-" + victim + "-r" + replaced);
        }
        System.out.printf(Locale.ROOT, "churn harness: round %d, replaced %d peers%n", round,
            replaced);
      }
      observe(swarm, peers, names, MINUTE_MS / 2, "after the last churn");
      int inFallback = 0;
      for (int i = 0; i < peers.size(); i++) {
        TestSwarm.Peer p = peers.get(i);
        p.recorder().errors().forEach(e -> errors.add(p.node().nodeId() + ": " + e));
        SwarmNode.Stats s = p.node().stats();
        SwarmNode.PlayoutStats f = p.node().playout();
        inFallback += s.fallback() ? 1 : 0;
        System.out.printf(Locale.ROOT, "  %-12s continuity %.4f (min %.4f) fallback %s (%d)"
            + " partners %d due %d in time %d%n", names.get(i), s.continuity(),
            minContinuity.getOrDefault(names.get(i), -1.0), s.fallback(), f.fallbacks(),
            s.partners().size(), f.due(), f.inTime());
      }
      System.out.printf("  origin: %s%n", swarm.origin.stats());
      errors.stream().limit(20).forEach(e -> System.out.println("  error: " + e));
      assertThat(errors).as("contiguity and verification errors").isEmpty();
      assertThat(minContinuity).allSatisfy((node, c) -> assertThat(c)
          .as("continuity of %s", node).isGreaterThanOrEqualTo(0.999));
      assertThat(inFallback).as("surviving peers still on the direct pull").isZero();
    }
  }

  private void observe(TestSwarm swarm, List<TestSwarm.Peer> peers, List<String> names,
      long ms, String period) {
    long end = System.currentTimeMillis() + ms;
    for (int polls = 0; System.currentTimeMillis() < end && polls < ms / 2000 + 1; polls++) {
      waitMs(Math.min(2000, Math.max(0, end - System.currentTimeMillis())));
      int fallback = 0;
      for (int i = 0; i < peers.size(); i++) {
        SwarmNode.Stats s = peers.get(i).node().stats();
        fallback += s.fallback() ? 1 : 0;
        if (s.continuity() > 0 || peers.get(i).node().playout().due() > 0) {
          minContinuity.merge(names.get(i), s.continuity(), Math::min);
        }
      }
      System.out.printf(Locale.ROOT, "churn harness: %s: %d of %d peers in fallback%n", period,
          fallback, peers.size());
    }
  }

  private static void waitMs(long ms) {
    long until = System.currentTimeMillis() + ms;
    await().atMost(Duration.ofMillis(ms + 5000)).pollInterval(Duration.ofMillis(50))
        .until(() -> System.currentTimeMillis() >= until);
  }
}
