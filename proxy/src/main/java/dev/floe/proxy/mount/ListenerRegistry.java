package dev.floe.proxy.mount;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The listener sessions reading one mount, for the admin API (list, kick, move) and for the
 * mount's own moves (to a fallback and back home). Sessions register and unregister themselves
 * on their event loop; every method may be called from any thread.
 */
public final class ListenerRegistry {
  /** Listener ids are unique across mounts, so a moved listener keeps its id. */
  private static final AtomicLong IDS = new AtomicLong();

  private final Set<ListenerSession> sessions = ConcurrentHashMap.newKeySet();
  private final FanOut fanOut;
  private final AtomicInteger count = new AtomicInteger();
  private final AtomicInteger peak = new AtomicInteger();

  ListenerRegistry(FanOut fanOut) {
    this.fanOut = fanOut;
  }

  static long nextId() {
    return IDS.incrementAndGet();
  }

  void register(ListenerSession s) {
    sessions.add(s);
    fanOut.add(s);
    peak.accumulateAndGet(count.incrementAndGet(), Math::max);
  }

  void unregister(ListenerSession s) {
    if (sessions.remove(s)) {
      fanOut.remove(s);
      count.decrementAndGet();
    }
  }

  /** Listeners connected now. */
  public int count() {
    return count.get();
  }

  /** The most listeners connected at once since the mount was made. */
  public int peak() {
    return peak.get();
  }

  /** A snapshot of the listeners, by id. */
  public List<ListenerView> views() {
    List<ListenerView> out = new ArrayList<>();
    for (ListenerSession s : sessions) {
      out.add(s.view());
    }
    out.sort(Comparator.comparingLong(ListenerView::id));
    return out;
  }

  /** Closes listener {@code id}; false when there is none. */
  public boolean kick(long id) {
    for (ListenerSession s : sessions) {
      if (s.id() == id) {
        s.kick("killed by admin");
        return true;
      }
    }
    return false;
  }

  /** Closes every listener, logging {@code why}. */
  void kickAll(String why) {
    sessions.forEach(s -> s.kick(why));
  }

  /** Moves every listener to {@code dest} without closing their connections; returns how many. */
  public int moveTo(Mount dest) {
    int n = 0;
    for (ListenerSession s : sessions) {
      s.moveTo(dest);
      n++;
    }
    return n;
  }

  /** Moves back the listeners whose home mount is {@code home}. */
  void returnHome(Mount home) {
    for (ListenerSession s : sessions) {
      if (s.home() == home) {
        s.moveTo(home);
      }
    }
  }

  /** Whether a listener here has {@code home} as its home mount (it waits to go back). */
  boolean awaits(Mount home) {
    return sessions.stream().anyMatch(s -> s.home() == home);
  }
}
