package dev.floe.bench.load;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * One selector thread. It opens its share of the listeners (ids {@code index, index + stride, ...})
 * on the global ramp schedule, runs their I/O, snapshots them at the start and end of the steady
 * window, and closes them when told to stop. What a listener is (an ICY stream, an HLS player)
 * is the subclass's: {@link IcyWorker}, {@link HlsWorker}.
 */
abstract class Worker implements Runnable {
  /** How often {@link #sweep} runs: timeouts, and an HLS player's timers. */
  static final long SWEEP_NS = 100_000_000L;

  final Options o;
  final Selector selector;
  private final int index;
  private final int stride;
  private final long t0;
  final long windowStartNs;
  final long windowEndNs;
  private final CountDownLatch windowDone;

  private volatile boolean stop;
  private int nextId;
  boolean windowStarted;
  boolean windowEnded;
  private long lastSweep;

  /** Set once, before {@link #windowDone} counts down. */
  private volatile List<Listener.Result> results;

  /** Latest lag between a connection's scheduled and actual open time. */
  volatile long maxOpenLagNs;

  Worker(Options o, int index, int stride, long t0, long windowStartNs, long windowEndNs,
      CountDownLatch windowDone) throws IOException {
    this.o = o;
    this.index = index;
    this.stride = stride;
    this.t0 = t0;
    this.windowStartNs = windowStartNs;
    this.windowEndNs = windowEndNs;
    this.windowDone = windowDone;
    this.selector = Selector.open();
    this.nextId = index;
  }

  /** Opens listener {@code id}. */
  abstract void open(int id, long now);

  /** Handles a ready key of one of its listeners. */
  abstract void ready(SelectionKey key, long now);

  /** Periodic work: timeouts, timers. */
  abstract void sweep(long now);

  /** The steady window starts. */
  abstract void startWindow(long now);

  /** The steady window ends: every listener's figures. */
  abstract List<Listener.Result> endWindow(long now);

  /** Closes every listener. */
  abstract void closeAll();

  List<Listener.Result> results() {
    return results;
  }

  /** Asks the thread to close its listeners and exit. */
  void stop() {
    stop = true;
    selector.wakeup();
  }

  private long dueNs(int id) {
    return t0 + (long) (id * 1e9 / o.ramp);
  }

  @Override
  public void run() {
    try {
      loop();
    } catch (IOException | RuntimeException e) {
      System.err.println("worker " + index + " crashed: " + e);
      e.printStackTrace();
    } finally {
      if (!windowEnded) {
        finishWindow(System.nanoTime());
      }
      closeAll();
      try {
        selector.close();
      } catch (IOException e) {
        // Nothing left to release.
      }
    }
  }

  private void loop() throws IOException {
    while (!stop) {
      long now = System.nanoTime();
      while (nextId < o.listeners && dueNs(nextId) <= now) {
        long lag = now - dueNs(nextId);
        if (lag > maxOpenLagNs) {
          maxOpenLagNs = lag;
        }
        open(nextId, now);
        nextId += stride;
      }
      if (!windowStarted && now >= windowStartNs) {
        windowStarted = true;
        startWindow(now);
      }
      if (!windowEnded && now >= windowEndNs) {
        finishWindow(now);
      }
      if (now - lastSweep >= SWEEP_NS) {
        sweep(now);
        lastSweep = now;
      }
      long waitNs = SWEEP_NS;
      if (nextId < o.listeners) {
        waitNs = Math.min(waitNs, dueNs(nextId) - now);
      }
      if (!windowStarted) {
        waitNs = Math.min(waitNs, windowStartNs - now);
      } else if (!windowEnded) {
        waitNs = Math.min(waitNs, windowEndNs - now);
      }
      int ready;
      if (waitNs < 1_000_000L) {
        ready = selector.selectNow();
      } else {
        ready = selector.select(waitNs / 1_000_000L);
      }
      if (ready == 0) {
        continue;
      }
      Iterator<SelectionKey> it = selector.selectedKeys().iterator();
      while (it.hasNext()) {
        SelectionKey k = it.next();
        it.remove();
        if (k.isValid()) {
          ready(k, System.nanoTime());
        }
      }
    }
  }

  private void finishWindow(long now) {
    windowEnded = true;
    results = endWindow(now);
    windowDone.countDown();
  }
}
