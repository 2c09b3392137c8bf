package dev.floe.swarm.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.swarm.schedule.SchedulerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The runtime at swarm scale in one JVM, on loopback: an origin publishing 128 kbit/s in 500 ms
 * chunks and {@code floe.swarm.nodes} peers (default 50), each with its own port and upload cap
 * (20% non-connectable at 0 kbit/s, the rest 512 kbit/s), for about 90 s, with 20% of the peers
 * killed and replaced per minute. A fallback is served by the test as the proxy would (the direct
 * bytes up to the live edge), so a peer's mount is checked as one contiguous run of verified bytes.
 */
class SwarmHarnessTest {
  private static final int NODES = Integer.getInteger("floe.swarm.nodes", 50);
  private static final long RAMP_MS = 10_000;
  private static final long WARMUP_MS = 30_000;
  private static final long RUN_MS = 90_000;
  private static final double CHURN_PER_MINUTE = 0.2;
  private static final long JOIN_ALLOWANCE_MS = 10_000;

  @Test
  void aSwarmUnderChurnPlaysContiguouslyWithinTheOriginBudget() throws Exception {
    int lag = SchedulerConfig.advisedLagMs(NODES);
    SplittableRandom random = new SplittableRandom(42);
    List<TestSwarm.Peer> gone = new ArrayList<>();
    List<SwarmNode.PlayoutStats> goneFigures = new ArrayList<>();
    List<SwarmNode.Traffic> goneTraffic = new ArrayList<>();
    ScheduledExecutorService driver = Executors.newSingleThreadScheduledExecutor();
    try (TestSwarm swarm = new TestSwarm(Math.max(2, Runtime.getRuntime().availableProcessors()),
        lag)) {
      swarm.publish();
      long start = System.currentTimeMillis();
      for (int i = 0; i < NODES; i++) {
        boolean nat = i % 5 == 4;
        driver.schedule(() -> addPeer(swarm, nat), RAMP_MS * i / NODES, TimeUnit.MILLISECONDS);
      }
      long churnEvery = (long) (60_000 / (CHURN_PER_MINUTE * NODES));
      driver.scheduleAtFixedRate(() -> {
        List<TestSwarm.Peer> alive = swarm.peers();
        if (alive.size() < NODES / 2) {
          return;
        }
        TestSwarm.Peer victim = alive.get(random.nextInt(alive.size()));
        SwarmNode.PlayoutStats f = victim.node().playout();
        SwarmNode.Traffic t = victim.node().traffic();
        swarm.kill(victim);
        synchronized (gone) {
          gone.add(victim);
          goneFigures.add(f);
          goneTraffic.add(t);
        }
        addPeer(swarm, victim.uploadKbps() == 0);
      }, RAMP_MS + churnEvery, churnEvery, TimeUnit.MILLISECONDS);

      await().atMost(Duration.ofMillis(WARMUP_MS + 5000)).pollInterval(Duration.ofMillis(200))
          .until(() -> System.currentTimeMillis() - start >= WARMUP_MS);
      long[] originAt = {System.currentTimeMillis(), swarm.origin.traffic().bytesUp()};
      await().atMost(Duration.ofMillis(RUN_MS)).pollInterval(Duration.ofMillis(200))
          .until(() -> System.currentTimeMillis() - start >= RUN_MS);
      SwarmNode.Traffic originEnd = swarm.origin.traffic();
      long windowMs = System.currentTimeMillis() - originAt[0];
      driver.shutdownNow();
      assertThat(driver.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

      double streamBytes = TestSwarm.RATE_KBPS * 125.0 * windowMs / 1000.0;
      double originRatio = (originEnd.bytesUp() - originAt[1]) / streamBytes;
      long due = 0;
      long inTime = 0;
      long up = originEnd.bytesUp();
      long down = originEnd.bytesDown();
      long payload = originEnd.payloadUp() + originEnd.payloadDown();
      List<String> errors = new ArrayList<>();
      long played = 0;
      long direct = 0;
      int fallbacks = 0;
      List<TestSwarm.Peer> alive = swarm.peers();
      for (TestSwarm.Peer p : alive) {
        SwarmNode.PlayoutStats f = p.node().playout();
        SwarmNode.Traffic t = p.node().traffic();
        due += f.due();
        inTime += f.inTime();
        fallbacks += f.fallbacks();
        up += t.bytesUp();
        down += t.bytesDown();
        payload += t.payloadUp() + t.payloadDown();
        played += p.recorder().bytes();
        direct += p.recorder().directBytes();
        p.recorder().errors().forEach(e -> errors.add(p.node().nodeId() + ": " + e));
      }
      synchronized (gone) {
        for (int i = 0; i < gone.size(); i++) {
          due += goneFigures.get(i).due();
          inTime += goneFigures.get(i).inTime();
          fallbacks += goneFigures.get(i).fallbacks();
          up += goneTraffic.get(i).bytesUp();
          down += goneTraffic.get(i).bytesDown();
          payload += goneTraffic.get(i).payloadUp() + goneTraffic.get(i).payloadDown();
          TestSwarm.Peer p = gone.get(i);
          p.recorder().errors().forEach(e -> errors.add(p.node().nodeId() + " (killed): " + e));
        }
      }
      double continuity = due == 0 ? 0 : (double) inTime / due;
      double overhead = (double) (up + down - payload) / payload;
      // A replacement that joined less than the lag (plus a join allowance) before the end has
      // had no chunk due yet (at 200 nodes one joins every 1.5 s): only older peers must play.
      long settled = System.currentTimeMillis() - lag - JOIN_ALLOWANCE_MS;
      long starved = alive.stream().filter(p -> p.joinedAtMillis() <= settled
          && p.recorder().bytes() == 0 && p.recorder().directBytes() == 0).count();
      System.out.printf("swarm harness: %d peers (%d replaced), lag %d ms, window %.1f s%n",
          NODES, gone.size(), lag, windowMs / 1000.0);
      System.out.printf("  continuity %.5f (%d of %d chunks due in time), fallbacks %d%n",
          continuity, inTime, due, fallbacks);
      System.out.printf("  origin upload %.3f x stream rate (payload + control, steady window)%n",
          originRatio);
      System.out.printf("  control overhead %.4f (all nodes, both ways, real wire)%n", overhead);
      System.out.printf("  surviving peers played %d bytes from the swarm, %d direct; %d with"
          + " nothing%n", played, direct, starved);
      System.out.printf("  origin: %s%n", swarm.origin.stats());
      errors.stream().limit(20).forEach(e -> System.out.println("  error: " + e));

      assertThat(errors).as("contiguity and verification errors").isEmpty();
      assertThat(starved).as("surviving peers (joined before the last lag + 10 s) that got"
          + " nothing").isZero();
      assertThat(continuity).as("aggregate continuity").isGreaterThanOrEqualTo(0.999);
      assertThat(originRatio).as("origin upload over stream rate").isLessThanOrEqualTo(2.5);
      assertThat(overhead).as("control overhead").isLessThanOrEqualTo(0.02);
    } finally {
      driver.shutdownNow();
    }
  }

  private static void addPeer(TestSwarm swarm, boolean nat) {
    try {
      swarm.addPeer(nat ? 0 : 512, !nat);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
