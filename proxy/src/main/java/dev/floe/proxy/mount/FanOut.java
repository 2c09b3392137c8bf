package dev.floe.proxy.mount;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Wakes a mount's listeners when a chunk is appended.
 *
 * <p>Listeners are grouped by the event loop that owns their connection. A new chunk schedules at
 * most one task per event loop, and that task drains every listener of the loop, so the cost of a
 * chunk is one task per I/O thread plus one gathering write per listener, not one task per
 * listener. Each group's list is touched only by its own loop thread, so it needs no lock.
 */
final class FanOut {
  private final ConcurrentMap<EventLoop, Group> groups = new ConcurrentHashMap<>();

  /** Adds a session; must be called on the session's event loop. */
  void add(ListenerSession s) {
    groups.computeIfAbsent(s.loop(), Group::new).sessions.add(s);
  }

  /** Removes a session; must be called on the session's event loop. */
  void remove(ListenerSession s) {
    Group g = groups.get(s.loop());
    if (g != null) {
      g.sessions.remove(s);
    }
  }

  /** Schedules a drain of every listener; callable from any thread, cheap when already pending. */
  void signal() {
    for (Group g : groups.values()) {
      g.schedule();
    }
  }

  private static final class Group implements Runnable {
    private final EventLoop loop;
    private final List<ListenerSession> sessions = new ArrayList<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    Group(EventLoop loop) {
      this.loop = loop;
    }

    void schedule() {
      if (scheduled.compareAndSet(false, true)) {
        loop.execute(this);
      }
    }

    @Override
    public void run() {
      scheduled.set(false);
      // A drain may close its session, which removes it from the list: iterate over a snapshot.
      for (ListenerSession s : sessions.toArray(new ListenerSession[0])) {
        s.drain();
      }
    }
  }
}
