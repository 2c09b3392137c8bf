package dev.floe.swarm.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Dials up to the partner target (6), at most 5 a second, and the tracker asked with backoff. */
class DialerTest {
  private final Map<Integer, Partner> partners = new LinkedHashMap<>();
  private final List<Action> out = new ArrayList<>();

  private Dialer dialer(SchedulerConfig cfg) {
    return new Dialer(cfg, 99, partners, out::add, 0);
  }

  private List<Action> dial(Dialer d, long now) {
    out.clear();
    d.dial(now);
    return List.copyOf(out);
  }

  private static List<Candidate> candidates(int from, int to) {
    List<Candidate> list = new ArrayList<>();
    for (int peer = from; peer <= to; peer++) {
      list.add(new Candidate(peer, true));
    }
    return list;
  }

  @Test
  void onlyNewConnectableCandidatesAreDialedFiveASecondUpToTheTarget() {
    Dialer d = dialer(SchedulerConfig.of(128, 512));
    partners.put(3, new Partner(new Hello(3, true, true, 20, 0, 0, -1, 0), 4, 1, 0, 0));
    List<Candidate> offered = new ArrayList<>(candidates(1, 9));
    offered.add(new Candidate(20, false));
    offered.add(new Candidate(99, true));
    d.offer(offered);
    d.offer(candidates(1, 2));

    assertThat(dial(d, 0)).containsExactly(new Action.Connect(1), new Action.Connect(2),
        new Action.Connect(4), new Action.Connect(5), new Action.Connect(6));
    // One partner and five dials: the target of 6 is met.
    assertThat(dial(d, 1000)).isEmpty();
    d.connected(1);
    partners.put(1, new Partner(new Hello(1, true, true, 20, 0, 0, -1, 0), 4, 1, 0, 0));
    assertThat(dial(d, 1000)).isEmpty();
    // Unanswered dials are forgotten after 3 s: the candidates left are dialed, and as they are
    // too few the tracker is asked.
    assertThat(dial(d, Scheduler.DIAL_TIMEOUT_MS)).containsExactly(new Action.Connect(7),
        new Action.Connect(8), new Action.Connect(9), new Action.AskTracker());
  }

  @Test
  void theTrackerIsAskedWithDoublingBackoffWhileShortOfPartnersAndCandidates() {
    Dialer d = dialer(SchedulerConfig.of(128, 512));
    d.start(0);

    assertThat(dial(d, Scheduler.TRACKER_RETRY_MS - 1)).isEmpty();
    assertThat(dial(d, Scheduler.TRACKER_RETRY_MS)).containsExactly(new Action.AskTracker());
    assertThat(dial(d, 2 * Scheduler.TRACKER_RETRY_MS - 1)).isEmpty();
    assertThat(dial(d, 2 * Scheduler.TRACKER_RETRY_MS)).containsExactly(new Action.AskTracker());
    assertThat(dial(d, 4 * Scheduler.TRACKER_RETRY_MS - 1)).isEmpty();
    assertThat(dial(d, 4 * Scheduler.TRACKER_RETRY_MS)).containsExactly(new Action.AskTracker());

    for (int peer = 1; peer <= 6; peer++) {
      partners.put(peer, new Partner(new Hello(peer, true, true, 20, 0, 0, -1, 0), 4, 1, 0, 0));
    }
    assertThat(dial(d, 100_000)).as("at the target: backoff reset").isEmpty();
    partners.remove(6);
    assertThat(dial(d, 100_000)).containsExactly(new Action.AskTracker());
    assertThat(dial(d, 100_000 + Scheduler.TRACKER_RETRY_MS)).containsExactly(new Action.AskTracker());
  }

  @Test
  void theOriginDialsNobody() {
    Dialer d = dialer(SchedulerConfig.of(128, 512).asOrigin(2));
    d.start(0);
    d.offer(candidates(1, 3));
    assertThat(dial(d, 0)).isEmpty();
    assertThat(dial(d, 60_000)).isEmpty();
  }
}
