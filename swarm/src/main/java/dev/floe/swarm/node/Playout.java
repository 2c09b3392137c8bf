package dev.floe.swarm.node;

import dev.floe.swarm.chunk.SignedChunk;
import dev.floe.swarm.chunk.ChunkHeader;
import dev.floe.swarm.chunk.MetadataRecord;
import dev.floe.swarm.chunk.SignedStreamHeader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongUnaryOperator;

/**
 * A peer's hand-over to its mount: verified chunks strictly in seq order, each at its deadline,
 * never skipping one within an epoch once one was played (a missing chunk holds back the later
 * ones until it arrives or a direct pull covers it; before the first, overdue missing chunks are
 * passed over, as there is nothing yet to be contiguous with). During a fallback nothing is played; chunks whose bytes all lie
 * below the position the direct pull reached are passed over, and play resumes with the chunk
 * holding that position. Metadata records are handed over before the first chunk they apply to.
 *
 * <p>Stream headers (Ogg header pages): before each chunk the header in force for it (the one of
 * its epoch with the highest {@code fromSeq} at or below its seq) is handed over when it is not
 * the one handed over last. A chunk flagged {@link SignedStreamHeader#CHUNK_FLAG_IN_FORCE} (or {@link
 * ChunkHeader#FLAG_HEADER_CHANGE}, which needs the header starting at its very seq) is not played
 * until that header is known: playout waits for it like for a missing chunk, and once the chunk's
 * deadline has passed reports it as stalled, so the scheduler falls back to the direct pull (whose
 * stream carries the header pages) if it does not come. Not thread-safe: the node's event loop
 * owns it.
 */
final class Playout {
  /** Most metadata records waiting for their chunk. */
  static final int MAX_PENDING_METADATA = 32;

  private final SwarmNode.Listener listener;
  private final ChunkStore store;
  private final HeaderBook headers;
  private SignedStreamHeader deliveredHeader;
  private final List<MetadataRecord> metadata = new ArrayList<>();
  private int epoch;
  private boolean epochKnown;
  private long next = -1;
  private long nextPosition = -1;
  private boolean fallback;
  private boolean playedInEpoch;
  private long directPosition = -1;
  private long playedChunks;
  private long playedBytes;
  /**
   * The old epoch's held chunks that were not yet due when a new epoch came (the origin
   * restarted), with their deadlines: they play out first, so players hear the old stream to
   * its end and then the new one (a gap only as long as the origin's own outage).
   */
  private final java.util.ArrayDeque<SignedChunk> tail = new java.util.ArrayDeque<>();
  private final java.util.ArrayDeque<Long> tailDue = new java.util.ArrayDeque<>();

  /** A playout for a stream whose headers nobody adds (tests). */
  Playout(SwarmNode.Listener listener, ChunkStore store) {
    this(listener, store, new HeaderBook());
  }

  Playout(SwarmNode.Listener listener, ChunkStore store, HeaderBook headers) {
    this.listener = listener;
    this.store = store;
    this.headers = headers;
  }

  /** A new epoch: playout restarts at the scheduler's first seq of it. */
  void reset(int newEpoch) {
    reset(newEpoch, null);
  }

  /**
   * A new epoch: playout restarts at the scheduler's first seq of it, after the old epoch's held
   * chunks from the next one to play on (while contiguous) have played at their deadlines, given
   * by {@code oldDeadline} (the scheduler's for the old epoch; null: none play). Before, a node
   * that tuned in to a restarted origin's stream dropped the old stream's last seconds at once,
   * and its players heard a pause of about the lag instead of the outage.
   */
  void reset(int newEpoch, LongUnaryOperator oldDeadline) {
    tail.clear();
    tailDue.clear();
    if (oldDeadline != null && epochKnown && newEpoch != epoch && playedInEpoch && !fallback) {
      for (long s = next; s < next + 128; s++) {
        SignedChunk c = store.get(epoch, s);
        if (c == null || !headerReady(c)) {
          break;
        }
        tail.add(c);
        tailDue.add(oldDeadline.applyAsLong(s));
      }
    }
    int old = epoch;
    epoch = newEpoch;
    epochKnown = true;
    next = -1;
    nextPosition = -1;
    directPosition = -1;
    playedInEpoch = false;
    if (tail.isEmpty()) {
      deliveredHeader = null;
    }
    headers.current(newEpoch);
    metadata.removeIf(m -> m.epoch() != newEpoch && (tail.isEmpty() || m.epoch() != old));
  }

  /** The scheduler anchored: play from {@code seq} on (ignored once started). */
  void start(long seq) {
    if (next < 0 && seq >= 0) {
      next = seq;
    }
  }

  /** Whether playout has a start seq. */
  boolean started() {
    return next >= 0;
  }

  /** A verified metadata record (kept until its chunk plays). */
  void metadata(MetadataRecord m) {
    if (metadata.size() >= MAX_PENDING_METADATA) {
      metadata.remove(0);
    }
    metadata.add(m);
    metadata.sort(Comparator.comparingLong(MetadataRecord::fromSeq));
  }

  /** Plays every chunk that is due, held and next in order. */
  void run(long now, LongUnaryOperator deadline) {
    if (!playTail(now) || !epochKnown || next < 0) {
      return;
    }
    if (fallback) {
      passDirect();
      return;
    }
    while (true) {
      SignedChunk c = store.get(epoch, next);
      if (deadline.applyAsLong(next) > now) {
        return;
      }
      if (c == null) {
        if (!playedInEpoch && directPosition < 0 && store.firstHeldFrom(epoch, next + 1) >= 0) {
          next++;
          continue;
        }
        return;
      }
      long end = c.header().position() + c.header().payloadLength();
      if (directPosition >= 0 && end <= directPosition) {
        next++;
        continue;
      }
      if (!headerReady(c)) {
        return;
      }
      play(c);
      playedInEpoch = true;
      nextPosition = end;
      next++;
    }
  }

  /** Plays the old epoch's tail chunks that are due; whether the tail is done. */
  private boolean playTail(long now) {
    while (!tail.isEmpty()) {
      if (tailDue.peekFirst() > now) {
        return false;
      }
      tailDue.removeFirst();
      play(tail.removeFirst());
      if (tail.isEmpty()) {
        metadata.removeIf(m -> m.epoch() != epoch);
      }
    }
    return true;
  }

  /** Hands chunk {@code c} over, after its metadata and the stream header in force for it. */
  private void play(SignedChunk c) {
    deliverMetadata(c.epoch(), c.seq());
    deliverHeader(c.epoch(), c.seq());
    try {
      listener.play(c);
    } catch (RuntimeException e) {
      NodeRuntime.LOG.log(System.Logger.Level.ERROR, "swarm: the mount failed to take a chunk", e);
    }
    playedChunks++;
    playedBytes += c.heldLength();
  }

  /** The scheduler started a direct pull: the mount pulls from the next position to play. */
  void fallbackStart() {
    if (fallback || !epochKnown) {
      return;
    }
    tail.clear();
    tailDue.clear();
    fallback = true;
    long pos = nextPosition;
    if (pos < 0 && next >= 0) {
      long held = store.firstHeldFrom(epoch, next);
      pos = held < 0 ? -1 : store.get(epoch, held).header().position();
    }
    directPosition = Math.max(directPosition, pos);
    notifyFallback(true, Math.max(0, pos));
  }

  /** The scheduler stopped the direct pull: play goes on from where the direct bytes ended. */
  void fallbackStop() {
    if (!fallback) {
      return;
    }
    fallback = false;
    passDirect();
    notifyFallback(false, Math.max(0, directPosition));
  }

  /** The mount got direct bytes up to (excluding) {@code position} of {@code epoch}. */
  void directBytes(int e, long position) {
    if (epochKnown && e == epoch && position > directPosition) {
      directPosition = position;
      if (fallback) {
        passDirect();
      }
    }
  }

  /**
   * The missing chunk playout waits for past its deadline, or -1 (also before the first chunk of
   * the epoch is played: joining is the scheduler's warm-up, not a stall).
   */
  long stalledOn(long now, LongUnaryOperator deadline) {
    if (!epochKnown || next < 0 || fallback) {
      return -1;
    }
    SignedChunk c = store.get(epoch, next);
    boolean stuck = c == null ? playedInEpoch : !headerReady(c);
    return stuck && deadline.applyAsLong(next) <= now ? next : -1;
  }

  /**
   * Whether {@code c} may be played as far as its stream header goes: it needs none (no flag), or
   * the header it needs is known.
   */
  private boolean headerReady(SignedChunk c) {
    int flags = c.header().flags();
    boolean change = (flags & ChunkHeader.FLAG_HEADER_CHANGE) != 0;
    if (!change && (flags & SignedStreamHeader.CHUNK_FLAG_IN_FORCE) == 0) {
      return true;
    }
    SignedStreamHeader h = headers.inForce(c.epoch(), c.seq());
    return h != null && (!change || h.fromSeq() == c.seq());
  }

  /** Hands over the header in force for chunk {@code seq} unless it was the last handed over. */
  private void deliverHeader(int ep, long seq) {
    SignedStreamHeader h = headers.inForce(ep, seq);
    if (h == null || h == deliveredHeader) {
      return;
    }
    deliveredHeader = h;
    try {
      listener.header(h);
    } catch (RuntimeException e) {
      NodeRuntime.LOG.log(System.Logger.Level.ERROR, "swarm: the mount failed on a stream header",
          e);
    }
  }

  boolean inFallback() {
    return fallback;
  }

  long playedChunks() {
    return playedChunks;
  }

  long playedBytes() {
    return playedBytes;
  }

  /**
   * Moves the next seq past chunks the direct pull already covered: positions are contiguous, so
   * every chunk below a held one that starts at or before the direct position is covered too.
   */
  private void passDirect() {
    if (next < 0 || directPosition < 0) {
      return;
    }
    long best = -1;
    for (long s = next; s < next + 128; s++) {
      SignedChunk c = store.get(epoch, s);
      if (c != null && c.header().position() <= directPosition) {
        best = s;
      }
    }
    if (best < 0) {
      return;
    }
    SignedChunk c = store.get(epoch, best);
    long end = c.header().position() + c.header().payloadLength();
    long target = end <= directPosition ? best + 1 : best;
    if (target > next) {
      deliverMetadata(epoch, target - 1);
      next = target;
      nextPosition = -1;
    }
  }

  private void notifyFallback(boolean on, long position) {
    try {
      listener.fallback(on, epoch, position);
    } catch (RuntimeException e) {
      NodeRuntime.LOG.log(System.Logger.Level.ERROR, "swarm: the mount failed on a fallback", e);
    }
  }

  private void deliverMetadata(int ep, long seq) {
    for (java.util.Iterator<MetadataRecord> it = metadata.iterator(); it.hasNext(); ) {
      MetadataRecord m = it.next();
      if (m.epoch() == ep && m.fromSeq() <= seq) {
        it.remove();
        try {
          listener.metadata(m);
        } catch (RuntimeException e) {
          NodeRuntime.LOG.log(System.Logger.Level.ERROR, "swarm: the mount failed on metadata", e);
        }
      }
    }
  }
}
