package dev.floe.swarm.schedule;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Keeps a peer's partner count up. Connectable candidates from the tracker are dialed (at most 5
 * per second) up to {@code partnerTarget}; a dial without an answer is forgotten after
 * {@value Scheduler#DIAL_TIMEOUT_MS} ms; the tracker is asked again, with doubling backoff from
 * {@value Scheduler#TRACKER_RETRY_MS} ms to 60 s, while the node is short of partners and
 * candidates. The origin dials nobody. Time is passed in. Mutable; not thread-safe.
 */
final class Dialer {
  private static final int MAX_CANDIDATES = 32;
  private final int self;
  private final boolean origin;
  private final int target;
  private final Map<Integer, Partner> partners;
  private final Consumer<Action> out;
  private final TokenBucket dials;
  private final ArrayDeque<Integer> candidates = new ArrayDeque<>();
  private final Map<Integer, Long> dialing = new LinkedHashMap<>();
  private long nextTrackerAsk;
  private long trackerBackoff = Scheduler.TRACKER_RETRY_MS;

  /**
   * @param self this node's id
   * @param partners the node's partners (a live view)
   * @param out where dials and tracker asks go
   */
  Dialer(SchedulerConfig cfg, int self, Map<Integer, Partner> partners, Consumer<Action> out,
      long now) {
    this.self = self;
    this.origin = cfg.origin();
    this.target = cfg.partnerTarget();
    this.partners = partners;
    this.out = out;
    this.dials = new TokenBucket(5, 5, now);
  }

  /** The node joins (and asks the tracker): the next ask is due after the backoff. */
  void start(long now) {
    nextTrackerAsk = now + trackerBackoff;
  }

  /** Keeps the connectable ones of {@code offered} not already known, up to 32 candidates. */
  void offer(List<Candidate> offered) {
    for (Candidate c : offered) {
      if (c.connectable() && c.peer() != self && !partners.containsKey(c.peer())
          && !dialing.containsKey(c.peer()) && !candidates.contains(c.peer())
          && candidates.size() < MAX_CANDIDATES) {
        candidates.add(c.peer());
      }
    }
  }

  /** A connection with {@code peer} is up: it is no longer being dialed. */
  void connected(int peer) {
    dialing.remove(peer);
  }

  /** Dials candidates while short of partners, or asks the tracker when none are left. */
  void dial(long now) {
    dialing.values().removeIf(at -> at <= now - Scheduler.DIAL_TIMEOUT_MS);
    if (origin) {
      return;
    }
    while (partners.size() + dialing.size() < target && !candidates.isEmpty()
        && dials.tryTake(now, 1)) {
      int peer = candidates.poll();
      if (!partners.containsKey(peer)) {
        dialing.put(peer, now);
        out.accept(new Action.Connect(peer));
      }
    }
    if (partners.size() >= target) {
      trackerBackoff = Scheduler.TRACKER_RETRY_MS;
    } else if (partners.size() + dialing.size() < target && candidates.isEmpty()
        && now >= nextTrackerAsk) {
      nextTrackerAsk = now + trackerBackoff;
      trackerBackoff = Math.min(60_000, trackerBackoff * 2);
      out.accept(new Action.AskTracker());
    }
  }
}
