package dev.floe.swarm.guard;

import dev.floe.swarm.chunk.ChannelKey;
import dev.floe.swarm.chunk.SignedChunk;
import dev.floe.swarm.chunk.ChunkHeader;
import java.time.Clock;
import java.time.Duration;
import java.util.TreeSet;

/**
 * Decides whether a chunk from a peer may be stored, served and forwarded (one gate per channel
 * per node, fed by every connection). Cheap checks come first, so a signature is verified only
 * for a chunk that could be accepted:
 *
 * <ol>
 *   <li>size: the signed payload length is at most {@code maxPayloadBytes}, and the payload held
 *       is exactly that long ({@link Verdict#OVERSIZED}, {@link Verdict#TRUNCATED});
 *   <li>epoch: a chunk of another epoch than the current one is taken only if it is newer by its
 *       signed origin time than the live edge (a new epoch); otherwise {@link
 *       Verdict#STALE_EPOCH}. Epochs start at random values, so their numbers are not ordered;
 *   <li>window: {@code seq} within {@code [edge - window, edge + ahead + e]}, where {@code e} is
 *       the number of chunk durations elapsed since the edge last moved ({@link
 *       Verdict#BEHIND_WINDOW}, {@link Verdict#AHEAD_OF_EDGE}), and not already accepted ({@link
 *       Verdict#DUPLICATE}; a copy whose signature fails is {@link Verdict#FORGED});
 *   <li>time: the signed origin time within {@code clockTolerance} of this node's estimate of the
 *       origin's clock, moved back by {@code (edge - seq) * duration} for a chunk behind the edge
 *       (the 32 s window is longer than the 30 s tolerance) ({@link Verdict#CLOCK_SKEW});
 *   <li>signature, under the channel key ({@link Verdict#FORGED}).
 * </ol>
 *
 * <p>The live edge is the highest accepted seq (or a verified HELLO header, {@link
 * #tuneIn(ChunkHeader)}); the origin-clock estimate is the local clock plus the offset seen on
 * the chunk that last advanced the edge (zero before the first). Not thread-safe: use it from one
 * thread (the channel's event loop).
 */
public final class ChunkGate {
  /**
   * Limits.
   *
   * @param window chunks behind the edge still accepted (the back buffer: 64 at 0.5 s)
   * @param ahead chunks beyond the edge accepted (8)
   * @param clockTolerance largest distance of a chunk's origin time from the estimate (30 s)
   * @param maxPayloadBytes largest payload ({@link SignedChunk#MAX_PAYLOAD})
   */
  public record Settings(int window, int ahead, Duration clockTolerance, int maxPayloadBytes) {
    /** 64 behind, 8 ahead, 30 s, 64 KiB. */
    public static final Settings DEFAULTS =
        new Settings(64, 8, Duration.ofSeconds(30), SignedChunk.MAX_PAYLOAD);

    /** @throws IllegalArgumentException naming the bad field */
    public Settings {
      if (window < 1 || window > 100_000) {
        throw new IllegalArgumentException("window must be 1..100000 chunks: " + window);
      }
      if (ahead < 0 || ahead > 1000) {
        throw new IllegalArgumentException("ahead must be 0..1000 chunks: " + ahead);
      }
      if (clockTolerance.isNegative() || clockTolerance.isZero()) {
        throw new IllegalArgumentException("clockTolerance must be positive: " + clockTolerance);
      }
      if (maxPayloadBytes < 1 || maxPayloadBytes > SignedChunk.MAX_PAYLOAD) {
        throw new IllegalArgumentException("maxPayloadBytes must be 1.." + SignedChunk.MAX_PAYLOAD);
      }
    }
  }

  /** The answer for one chunk. */
  public enum Verdict {
    ACCEPTED, OVERSIZED, TRUNCATED, STALE_EPOCH, BEHIND_WINDOW, AHEAD_OF_EDGE, DUPLICATE,
    CLOCK_SKEW, FORGED;

    /** True for {@link #ACCEPTED}. */
    public boolean accepted() {
      return this == ACCEPTED;
    }

    /**
     * True if the sender must have altered the chunk ({@link #FORGED}, {@link #TRUNCATED}): close
     * and ban it. The other rejections can happen to an honest peer (races, lag) and only drop the
     * chunk.
     */
    public boolean banWorthy() {
      return this == FORGED || this == TRUNCATED;
    }
  }

  private final ChannelKey channel;
  private final Settings settings;
  private final Clock clock;
  private final TreeSet<Long> accepted = new TreeSet<>();
  private boolean tuned;
  private int epoch;
  private long edge = -1;
  private long edgeOriginTime;
  private long offsetMillis;
  private long edgeAtMillis;
  private long edgeDurationMillis;

  /** A gate for {@code channel} that knows no edge yet. */
  public ChunkGate(ChannelKey channel, Settings settings, Clock clock) {
    this.channel = channel;
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * Takes a verified chunk header (from HELLO) as the live edge if it is newer than the current
   * one. Answers as {@link #offer(SignedChunk)} would for the size, time and signature checks.
   */
  public Verdict tuneIn(ChunkHeader latest) {
    if (latest.payloadLength() > settings.maxPayloadBytes()) {
      return Verdict.OVERSIZED;
    }
    Verdict v = timeAndSignature(latest);
    if (v.accepted() && (!tuned || newer(latest))) {
      moveEdge(latest);
    }
    return v;
  }

  /** Judges a chunk and, if it is accepted, records its id and moves the edge. */
  public Verdict offer(SignedChunk chunk) {
    ChunkHeader h = chunk.header();
    int declared = h.payloadLength();
    if (declared > settings.maxPayloadBytes() || chunk.heldLength() > declared) {
      return Verdict.OVERSIZED;
    }
    if (chunk.heldLength() < declared) {
      return Verdict.TRUNCATED;
    }
    boolean newEpoch = tuned && h.epoch() != epoch;
    if (newEpoch && h.originTimeMillis() <= edgeOriginTime) {
      return Verdict.STALE_EPOCH;
    }
    if (tuned && !newEpoch) {
      if (h.seq() < edge - settings.window()) {
        return Verdict.BEHIND_WINDOW;
      }
      if (h.seq() > edge + settings.ahead() + elapsedChunks()) {
        return Verdict.AHEAD_OF_EDGE;
      }
      if (accepted.contains(h.seq())) {
        // A copy of a chunk already taken needs no time check, but one that does not verify was
        // altered by its sender all the same: that is a forgery, not an honest duplicate.
        return chunk.verify(channel) ? Verdict.DUPLICATE : Verdict.FORGED;
      }
    }
    Verdict v = timeAndSignature(chunk.header());
    if (!v.accepted() || !chunk.verify(channel)) {
      return v.accepted() ? Verdict.FORGED : v;
    }
    if (!tuned || newEpoch || h.seq() > edge) {
      moveEdge(h);
    }
    accepted.add(h.seq());
    accepted.headSet(edge - settings.window()).clear();
    return Verdict.ACCEPTED;
  }

  /** The current epoch (meaningful once {@link #edge()} is not -1). */
  public int epoch() {
    return epoch;
  }

  /** The live edge seq, or -1 before the first accepted chunk or header. */
  public long edge() {
    return edge;
  }

  private Verdict timeAndSignature(ChunkHeader h) {
    long estimate = clock.millis() + offsetMillis;
    if (tuned && h.epoch() == epoch && h.seq() < edge) {
      // An older chunk of the window was cut that much earlier (window 32 s > tolerance 30 s).
      estimate -= (edge - h.seq()) * (h.durationMicros() / 1000);
    }
    if (Math.abs(h.originTimeMillis() - estimate) > settings.clockTolerance().toMillis()) {
      return Verdict.CLOCK_SKEW;
    }
    return h.verify(channel) ? Verdict.ACCEPTED : Verdict.FORGED;
  }

  private boolean newer(ChunkHeader h) {
    return h.epoch() == epoch ? h.seq() > edge : h.originTimeMillis() > edgeOriginTime;
  }

  private void moveEdge(ChunkHeader h) {
    if (!tuned || h.epoch() != epoch) {
      accepted.clear();
    }
    tuned = true;
    epoch = h.epoch();
    edge = h.seq();
    edgeOriginTime = h.originTimeMillis();
    offsetMillis = h.originTimeMillis() - clock.millis();
    edgeAtMillis = clock.millis();
    edgeDurationMillis = h.durationMicros() / 1000;
  }

  /**
   * Chunks the origin has cut since the edge moved (by the edge chunk's duration): a node that got
   * nothing for a while (joining, a stalled parent) must still take the live chunks.
   */
  private long elapsedChunks() {
    return edgeDurationMillis <= 0 ? 0
        : Math.max(0, clock.millis() - edgeAtMillis) / edgeDurationMillis;
  }
}
