package dev.floe.proxy.mount;

import dev.floe.icy.resume.FloePosition;
import dev.floe.proxy.status.SwarmStatus;
import java.util.function.Supplier;

/**
 * What a mount's swarm node attaches to it: who is told of each chunk appended (an origin's
 * publisher, a peer's playout), whether epochs fit the swarm's u32, and the node's status for
 * the status pages. All volatile; {@link #clear} detaches the node.
 */
public final class SwarmHooks {
  private volatile Mount.Appended appended;
  private volatile boolean shortEpochs;
  private volatile Supplier<SwarmStatus> status;

  /** Sets (or with null removes) the listener of appended chunks (a swarm origin's publisher). */
  public void onAppended(Mount.Appended a) {
    this.appended = a;
  }

  Mount.Appended appended() {
    return appended;
  }

  /**
   * With {@code on}, epochs this mount makes have their upper 32 bits zero, so they fit the
   * swarm's u32 epoch and a peer can name them exactly in {@code Floe-Position}.
   */
  public void shortEpochs(boolean on) {
    this.shortEpochs = on;
  }

  /** A new epoch: random, and under 2^32 when {@link #shortEpochs} is on. */
  String newEpoch() {
    String e = FloePosition.newEpoch();
    return shortEpochs ? "00000000" + e.substring(8) : e;
  }

  /** Attaches the status of this mount's swarm node (null: none). */
  public void status(Supplier<SwarmStatus> s) {
    this.status = s;
  }

  /** The status of this mount's swarm node, or null when it has none. */
  public SwarmStatus status() {
    Supplier<SwarmStatus> s = status;
    return s == null ? null : s.get();
  }

  /** Detaches the swarm node: no chunk listener, long epochs, no status. */
  public void clear() {
    appended = null;
    shortEpochs = false;
    status = null;
  }
}
