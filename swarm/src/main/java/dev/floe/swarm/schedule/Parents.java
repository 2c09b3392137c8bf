package dev.floe.swarm.schedule;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A peer's push parents, one per substream: which partner it subscribes to, when it switched, the
 * newest chunk that parent pushed, the usual push delay and the chunks that had to be pulled.
 *
 * <p>One parent per substream, chosen among partners not lagging the best one by {@code 2K} seqs
 * (New Coolstreaming's Tp), by the least expected time for a chunk ({@code rtt/2 + size/rate}, with
 * 20% random spread to share load). A subscription starts after the newest chunk of the substream
 * already held or requested, so a new parent's first pushes are not duplicates. A parent is
 * <i>late</i> by how much the chunk after the last one it pushed is overdue against the usual push
 * delay on that substream (an EWMA; the brief's stall rule made relative to the node's depth in the
 * tree). Late by 1 s, the substream is pulled at once ({@link #suspect}); late by {@code K} chunk
 * durations plus 1 s, or gone, or refusing, the parent is replaced at once; every
 * {@value Scheduler#PARENT_CHECK_MS} ms (Ta), within a hold of {@value Scheduler#SWITCH_HOLD_MS} ms,
 * it is also replaced when it lags the best partner by {@code 2K} (Tp) or two of its chunks had to
 * be pulled. The origin as a parent is never replaced by these rules (only when gone or refusing):
 * it is the source, so a late origin is late for everyone, and a first-tier copy given up left a
 * substream without any copy under churn (holes nobody could repair; the real-process churn test's
 * every node fell back). A partner of the origin that is not yet a first-tier child takes a free
 * slot the origin advertises (any free one, from a random start; a refusal holds that slot back
 * for {@value Scheduler#ORIGIN_REJECT_HOLD_MS} ms only, as partners race for a free slot; another
 * partner's for {@value Scheduler#REJECT_HOLD_MS} ms). Time is passed in; the randomness comes from
 * the seed. Mutable; not thread-safe.
 */
final class Parents {
  /** The push link of one substream. */
  private static final class Link {
    int parent = Scheduler.NONE;
    long switchedAt = Long.MIN_VALUE / 2;
    long pushedLatest;
    long subscribedFrom;
    double pushDelay = 1000;
    int pushMisses;
  }

  private final Link[] links;
  private final int k;
  private final int chunkMs;
  private final int chunkBytes;
  private final int lagThreshold;
  private final int originPeer;
  private final SplittableRandom random;
  private final Map<Integer, Partner> partners;
  private final ChunkWindow window;
  private final Requests requests;
  private final PlayoutClock clock;
  private final Consumer<Action> out;
  private long nextCheck;

  /**
   * @param originPeer the id chunks from the origin arrive with
   * @param partners the node's partners (a live view)
   * @param out where subscriptions and unsubscriptions go
   */
  Parents(SchedulerConfig cfg, int originPeer, SplittableRandom random,
      Map<Integer, Partner> partners, ChunkWindow window, Requests requests, PlayoutClock clock,
      Consumer<Action> out) {
    this.k = cfg.substreams();
    this.chunkMs = cfg.chunkMs();
    this.chunkBytes = cfg.chunkBytes();
    this.lagThreshold = 2 * k;
    this.originPeer = originPeer;
    this.random = random;
    this.partners = partners;
    this.window = window;
    this.requests = requests;
    this.clock = clock;
    this.out = out;
    this.links = new Link[k];
    for (int s = 0; s < k; s++) {
      links[s] = new Link();
    }
  }

  /** The partner pushing substream {@code sub}, or {@link Scheduler#NONE}. */
  int parent(int sub) {
    return links[sub].parent;
  }

  /** The parent of each substream, for logs. */
  String describe() {
    int[] ids = new int[k];
    for (int s = 0; s < k; s++) {
      ids[s] = links[s].parent;
    }
    return Arrays.toString(ids);
  }

  /** The substreams {@code peer} is the parent of, as a bit mask. */
  int parentOf(int peer) {
    int mask = 0;
    for (int s = 0; s < k; s++) {
      mask |= links[s].parent == peer ? 1 << s : 0;
    }
    return mask;
  }

  /** The substreams with a parent, as a bit mask (a peer's buffer map's subscribed mask). */
  int subscribed() {
    int mask = 0;
    for (int s = 0; s < k; s++) {
      mask |= links[s].parent != Scheduler.NONE ? 1 << s : 0;
    }
    return mask;
  }

  /** The first seq the current subscription of {@code sub} covers. */
  long subscribedFrom(int sub) {
    return links[sub].subscribedFrom;
  }

  /** A new epoch: no parent has pushed anything of it. */
  void resetEpoch() {
    for (Link l : links) {
      l.pushedLatest = -1;
    }
  }

  /** The play point was just set: check the parents at the next tick. */
  void checkSoon(long now) {
    nextCheck = now;
  }

  /** Chunk {@code seq} of substream {@code sub}, cut at {@code originTime}, came from {@code from}. */
  void arrived(int sub, int from, long seq, long now, long originTime) {
    Link l = links[sub];
    if (l.parent == from) {
      l.pushedLatest = Math.max(l.pushedLatest, seq);
      l.pushDelay += 0.1 * (now - originTime - chunkMs - l.pushDelay);
    }
  }

  /** Chunk {@code seq} of substream {@code sub} is pulled: a miss of its parent if it covers it. */
  void pulled(int sub, long seq) {
    Link l = links[sub];
    if (l.parent != Scheduler.NONE && seq >= l.subscribedFrom) {
      l.pushMisses++;
    }
  }

  /** Partner {@code p} refused the subscription to {@code sub}: held back, and replaced now. */
  void refused(Partner p, int sub, long now) {
    p.rejectedUntil[sub] = now + (p.id == originPeer
        ? Scheduler.ORIGIN_REJECT_HOLD_MS : Scheduler.REJECT_HOLD_MS);
    if (links[sub].parent == p.id) {
      links[sub].parent = Scheduler.NONE;
      select(now, sub);
    }
  }

  /** Partner {@code peer} is gone: its substreams lose their parent, replaced now if {@code reselect}. */
  void gone(int peer, long now, boolean reselect) {
    for (int s = 0; s < k; s++) {
      if (links[s].parent == peer) {
        links[s].parent = Scheduler.NONE;
        if (reselect) {
          select(now, s);
        }
      }
    }
  }

  /** Chooses a parent for every substream without one. */
  void selectMissing(long now) {
    for (int s = 0; s < k; s++) {
      if (links[s].parent == Scheduler.NONE) {
        select(now, s);
      }
    }
  }

  /** Whether substream {@code s}'s pushes are not to be waited for: no parent, or a late one. */
  boolean suspect(long now, int s) {
    return links[s].parent == Scheduler.NONE || late(now, s) >= 1000;
  }

  /**
   * Replaces stalled parents at once; every {@value Scheduler#PARENT_CHECK_MS} ms also lagging
   * ones and ones that missed, within the hold, and claims a free slot of the origin's.
   */
  void check(long now) {
    boolean periodic = now >= nextCheck;
    if (periodic) {
      nextCheck = now + Scheduler.PARENT_CHECK_MS;
    }
    Partner origin = partners.get(originPeer);
    if (periodic && origin != null && origin.map != null && origin.map.subscribed() != 0
        && parentOf(originPeer) == 0) {
      int free = origin.map.subscribed();
      int start = random.nextInt(k);
      for (int i = 0; i < k; i++) {
        int s = (start + i) % k;
        if ((free >>> s & 1) != 0 && origin.rejectedUntil[s] <= now) {
          subscribe(now, s, origin);
          break;
        }
      }
    }
    int epoch = window.epoch();
    for (int s = 0; s < k; s++) {
      Link l = links[s];
      Partner cur = l.parent == Scheduler.NONE ? null : partners.get(l.parent);
      if (cur == null) {
        l.parent = Scheduler.NONE;
        select(now, s);
        continue;
      }
      if (cur.id == originPeer) {
        // The origin is the source: a late origin is late for everyone, and a first-tier copy
        // given up is not taken back until another partner of the origin claims the slot (under
        // churn, a substream could be left without any copy: holes nobody can repair).
        continue;
      }
      if (late(now, s) >= 1000L + (long) k * chunkMs) {
        select(now, s);
      } else if (periodic && now - l.switchedAt >= Scheduler.SWITCH_HOLD_MS) {
        long best = -1;
        for (Partner p : partners.values()) {
          best = p != cur ? Math.max(best, p.latest(s, epoch)) : best;
        }
        if (best - cur.latest(s, epoch) >= lagThreshold || l.pushMisses >= 2) {
          select(now, s);
        }
      }
    }
  }

  /**
   * How late, in ms, the parent of substream s is with the chunk after the last one it pushed,
   * against the usual push delay on s (an EWMA); 0 during the first {@code K} chunk durations plus
   * 1 s after subscribing.
   */
  private long late(long now, int s) {
    Link l = links[s];
    if (now - l.switchedAt < (long) k * chunkMs + 1000) {
      return 0;
    }
    long expected = clock.originTime(l.pushedLatest + k) + chunkMs;
    return now - expected - (long) l.pushDelay;
  }

  private void select(long now, int s) {
    int epoch = window.epoch();
    int cur = links[s].parent;
    long best = -1;
    for (Partner p : partners.values()) {
      best = Math.max(best, p.latest(s, epoch));
    }
    if (best < 0) {
      return;
    }
    Partner choice = null;
    double choiceEta = Double.MAX_VALUE;
    for (Partner p : partners.values()) {
      if (p.id == cur || p.rejectedUntil[s] > now || p.isChild(s)
          || p.latest(s, epoch) < best - lagThreshold) {
        continue;
      }
      double eta = (p.rttMs / 2.0 + chunkBytes * 1000.0 / p.rate) * (1 + 0.2 * random.nextDouble());
      if (eta < choiceEta) {
        choice = p;
        choiceEta = eta;
      }
    }
    if (choice != null) {
      subscribe(now, s, choice);
    }
  }

  private void subscribe(long now, int s, Partner choice) {
    Link l = links[s];
    if (l.parent != Scheduler.NONE && partners.containsKey(l.parent)) {
      out.accept(new Action.Unsubscribe(l.parent, s));
    }
    long highest = window.highest();
    long from = Math.max(0, Math.max(clock.playSeq(), highest - ChunkWindow.SPAN + 1));
    from += Math.floorMod(s - from, k);
    for (long seq = from; seq <= highest + 2L * k; seq += k) {
      if (window.has(seq) || requests.pending(seq)) {
        from = seq + k;
      }
    }
    l.subscribedFrom = from;
    l.parent = choice.id;
    l.switchedAt = now;
    l.pushedLatest = from - k;
    l.pushMisses = 0;
    out.accept(new Action.Subscribe(choice.id, s, Math.max(window.epoch(), 0), from));
  }
}
