package dev.floe.swarm.schedule;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A peer's repair pulls, planned each tick.
 *
 * <p>Every missing chunk between the play point and the newest one known whose push is not
 * expected (no parent, a late parent, older than the subscription, or under
 * {@value Scheduler#PUSH_GRACE_MS} ms to its deadline) is requested, ordered by deadline in
 * {@value Scheduler#DEADLINE_SLOT_MS} ms slots, then fewest holders, from the holder with the least
 * expected completion time and a free pipeline slot ({@code rate x (rtt + 0.5 s)}, 1 to 8 chunks).
 * Buffer maps are seconds old, so for urgent chunks a partner whose last map showed it keeping up
 * on that substream, and that predates the chunk, counts as a likely holder (a wrong guess costs
 * one NOT_FOUND). A request times out after {@code eta + 2 rtt + 500 ms}. A chunk no partner has,
 * under {@value Scheduler#LAST_RESORT_MS} ms from its deadline, is asked of the origin once; a
 * chunk the in-order playout is stuck on ({@code repairFrom}, behind the play point) is pulled
 * first of all, and if no partner's map shows it, asked of the origin again every
 * {@value Scheduler#ORIGIN_RETRY_MS} ms (within the origin's grants). Time is passed in. Mutable
 * through the partners' and the requests' state; not thread-safe.
 */
final class PullPlanner {
  private final int k;
  private final int chunkMs;
  private final int chunkBytes;
  private final int self;
  private final int originPeer;
  private final Map<Integer, Partner> partners;
  private final ChunkWindow window;
  private final Requests requests;
  private final PlayoutClock clock;
  private final Parents parents;
  private final Consumer<Action> out;

  /**
   * @param self this node's id
   * @param originPeer the id chunks from the origin arrive with (equal to {@code self} on the origin)
   * @param partners the node's partners (a live view)
   * @param out where requests go
   */
  PullPlanner(SchedulerConfig cfg, int self, int originPeer, Map<Integer, Partner> partners,
      ChunkWindow window, Requests requests, PlayoutClock clock, Parents parents,
      Consumer<Action> out) {
    this.k = cfg.substreams();
    this.chunkMs = cfg.chunkMs();
    this.chunkBytes = cfg.chunkBytes();
    this.self = self;
    this.originPeer = originPeer;
    this.partners = partners;
    this.window = window;
    this.requests = requests;
    this.clock = clock;
    this.parents = parents;
    this.out = out;
  }

  /** Requests what is due now; {@code repairFrom} is the chunk playout is stuck on, or -1. */
  void pull(long now, long repairFrom) {
    int epoch = window.epoch();
    long playSeq = clock.playSeq();
    long known = window.highest();
    for (Partner p : partners.values()) {
      for (int s = 0; s < k; s++) {
        known = Math.max(known, p.latest(s, epoch));
      }
      known = p.map != null && p.map.epoch() == epoch ? Math.max(known, p.map.highest()) : known;
    }
    long end = Math.min(known, clock.produced(now));
    long from = repairFrom >= 0 && repairFrom < playSeq ? repairFrom : playSeq;
    long start = Math.max(from, Math.max(0, end - ChunkWindow.SPAN + 1));
    boolean[] suspect = new boolean[k];
    for (int s = 0; s < k; s++) {
      suspect[s] = parents.suspect(now, s);
    }
    int n = 0;
    long[] seqs = new long[(int) Math.max(0, Math.min(ChunkWindow.SPAN, end - start + 1))];
    long[] keys = new long[seqs.length];
    for (long seq = start; seq <= end && n < seqs.length; seq++) {
      if (window.has(seq) || requests.pending(seq)) {
        continue;
      }
      boolean repair = seq < playSeq;
      long dl = repair ? 1 : clock.deadline(seq) - now;
      int sub = (int) (seq % k);
      if (dl <= 0 || !suspect[sub] && seq >= parents.subscribedFrom(sub)
          && dl > Scheduler.PUSH_GRACE_MS) {
        continue;
      }
      int holders = 0;
      int likely = 0;
      for (Partner p : partners.values()) {
        int o = p.offers(seq, epoch, now, chunkMs);
        holders += o == 2 ? 1 : 0;
        likely += o == 1 && dl < Scheduler.PUSH_GRACE_MS ? 1 : 0;
      }
      boolean retry = repair && holders == 0
          && now - requests.originAskedAt(seq) >= Scheduler.ORIGIN_RETRY_MS;
      if (holders + likely == 0 || retry) {
        if (dl < Scheduler.LAST_RESORT_MS && (!requests.askedOrigin(seq) || retry)
            && originPeer != self) {
          requests.askingOrigin(seq, now);
          requests.track(seq, originPeer, now, now + 1000);
          out.accept(new Action.OriginRequest(epoch, seq, (int) dl));
        }
        continue;
      }
      seqs[n] = seq;
      keys[n] = (dl / Scheduler.DEADLINE_SLOT_MS) << 40 | (long) holders << 32 | n;
      n++;
    }
    long[] order = Arrays.copyOf(keys, n);
    Arrays.sort(order);
    for (long key : order) {
      long seq = seqs[(int) (key & 0xffffffffL)];
      Partner best = null;
      double bestEta = Double.MAX_VALUE;
      int level = 0;
      for (Partner p : partners.values()) {
        int o = p.offers(seq, epoch, now, chunkMs);
        if (o == 0 || o < level) {
          continue;
        }
        int cap = (int) Math.max(1, Math.min(8, p.rate * (p.rttMs + 500) / 1000 / chunkBytes));
        double eta = p.rttMs / 2.0 + (p.inflight + 1) * chunkBytes * 1000.0 / p.rate;
        if (p.inflight < cap && (o > level || eta < bestEta)) {
          level = o;
          best = p;
          bestEta = eta;
        }
      }
      if (best == null) {
        continue;
      }
      parents.pulled((int) (seq % k), seq);
      best.inflight++;
      requests.track(seq, best.id, now, now + (long) bestEta + 2L * best.rttMs + 500);
      out.accept(new Action.Request(best.id, epoch, seq, (int) (clock.deadline(seq) - now)));
    }
  }
}
