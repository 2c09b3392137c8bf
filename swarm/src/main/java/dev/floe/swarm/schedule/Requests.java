package dev.floe.swarm.schedule;

/**
 * The chunk requests a node has in flight, one per window slot (the seq, the partner asked, when,
 * and when it times out), and the last chunk of each slot asked of the origin as a last resort and
 * when. A request is cleared when its chunk comes, it is refused, it times out or its partner
 * goes. Mutable; not thread-safe.
 */
final class Requests {
  /** The request of one slot; {@code seq} -1 when none is in flight. */
  private static final class Entry {
    long seq = -1;
    int peer;
    long at;
    long timeout;
    long originSeq = -1;
    long originAt;
  }

  /** What {@link #expire} hands back for each request that timed out. */
  interface Expired {
    void expired(int peer, long seq);
  }

  private final Entry[] entries = new Entry[ChunkWindow.SPAN];

  Requests() {
    for (int i = 0; i < entries.length; i++) {
      entries[i] = new Entry();
    }
  }

  private Entry entry(long seq) {
    return entries[ChunkWindow.slot(seq)];
  }

  /** Whether chunk {@code seq} is asked for (of a partner or the origin). */
  boolean pending(long seq) {
    return entry(seq).seq == seq;
  }

  /** Whether chunk {@code seq} is asked of {@code peer}. */
  boolean pendingAt(long seq, int peer) {
    Entry e = entry(seq);
    return e.seq == seq && e.peer == peer;
  }

  /** The peer a pending chunk {@code seq} was asked of. */
  int peer(long seq) {
    return entry(seq).peer;
  }

  /** When a pending chunk {@code seq} was asked for. */
  long sentAt(long seq) {
    return entry(seq).at;
  }

  /** Chunk {@code seq} is asked of {@code peer} at {@code now}, to come by {@code timeout}. */
  void track(long seq, int peer, long now, long timeout) {
    Entry e = entry(seq);
    e.seq = seq;
    e.peer = peer;
    e.at = now;
    e.timeout = timeout;
  }

  /** No request in {@code seq}'s slot any more. */
  void clear(long seq) {
    entry(seq).seq = -1;
  }

  /** Clears every request to {@code peer}. */
  void forget(int peer) {
    for (Entry e : entries) {
      if (e.seq >= 0 && e.peer == peer) {
        e.seq = -1;
      }
    }
  }

  /** Clears each request timed out at {@code now}, after handing it to {@code to}. */
  void expire(long now, Expired to) {
    for (Entry e : entries) {
      if (e.seq >= 0 && e.timeout <= now) {
        to.expired(e.peer, e.seq);
        e.seq = -1;
      }
    }
  }

  /** Whether chunk {@code seq} was the last of its slot asked of the origin. */
  boolean askedOrigin(long seq) {
    return entry(seq).originSeq == seq;
  }

  /** When the origin was last asked for a chunk of {@code seq}'s slot (0 if never). */
  long originAskedAt(long seq) {
    return entry(seq).originAt;
  }

  /** Chunk {@code seq} is asked of the origin at {@code now}. */
  void askingOrigin(long seq, long now) {
    Entry e = entry(seq);
    e.originSeq = seq;
    e.originAt = now;
  }

  /** Clears every request and origin ask (a new epoch); the times of origin asks stay. */
  void reset() {
    for (Entry e : entries) {
      e.seq = -1;
      e.originSeq = -1;
    }
  }
}
