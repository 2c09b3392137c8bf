package dev.floe.bench.load;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * One selector thread. It opens its share of the listeners (ids {@code index, index + stride, ...})
 * on the global ramp schedule, reads and parses their streams, snapshots them at the start and end
 * of the steady window, and closes them when told to stop.
 */
final class Worker implements Runnable {
  private static final long SWEEP_NS = 100_000_000L;
  private static final int READS_PER_EVENT = 4;

  private final Options o;
  private final InetSocketAddress address;
  private final byte[] request;
  private final int index;
  private final int stride;
  private final long t0;
  private final long windowStartNs;
  private final long windowEndNs;
  private final CountDownLatch windowDone;
  private final Selector selector;
  private final ByteBuffer readBuf = ByteBuffer.allocateDirect(64 * 1024);
  private final List<Listener> listeners = new ArrayList<>();

  private volatile boolean stop;
  private int nextId;
  private boolean windowStarted;
  private boolean windowEnded;
  private long lastSweep;

  /** Set once, before {@link #windowDone} counts down. */
  private volatile List<Listener.Result> results;

  long windowStartSnapNs;
  long windowEndSnapNs;
  /** Latest lag between a connection's scheduled and actual open time. */
  volatile long maxOpenLagNs;
  volatile long lastOpenNs = -1;

  Worker(
      Options o,
      InetSocketAddress address,
      byte[] request,
      int index,
      int stride,
      long t0,
      long windowStartNs,
      long windowEndNs,
      CountDownLatch windowDone)
      throws IOException {
    this.o = o;
    this.address = address;
    this.request = request;
    this.index = index;
    this.stride = stride;
    this.t0 = t0;
    this.windowStartNs = windowStartNs;
    this.windowEndNs = windowEndNs;
    this.windowDone = windowDone;
    this.selector = Selector.open();
    this.nextId = index;
  }

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
        endWindow(System.nanoTime());
      }
      for (Listener l : listeners) {
        closeQuietly(l);
      }
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
        open(nextId, now);
        nextId += stride;
      }
      if (!windowStarted && now >= windowStartNs) {
        startWindow(now);
      }
      if (!windowEnded && now >= windowEndNs) {
        endWindow(now);
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
        Listener l = (Listener) k.attachment();
        if (!k.isValid()) {
          continue;
        }
        long t = System.nanoTime();
        if (k.isConnectable()) {
          finishConnect(l, t);
        } else if (k.isWritable()) {
          writeRequest(l, t);
        } else if (k.isReadable()) {
          read(l);
        }
      }
    }
  }

  private void open(int id, long now) {
    Listener l = new Listener(id, o.metadata, o.playerModel.copy());
    listeners.add(l);
    long due = dueNs(id);
    if (now - due > maxOpenLagNs) {
      maxOpenLagNs = now - due;
    }
    lastOpenNs = now;
    l.connectStartNs = System.nanoTime();
    try {
      SocketChannel ch = SocketChannel.open();
      l.channel = ch;
      ch.configureBlocking(false);
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      if (ch.connect(address)) {
        l.connectedNs = System.nanoTime();
        l.key = ch.register(selector, 0, l);
        writeRequest(l, l.connectedNs);
      } else {
        l.key = ch.register(selector, SelectionKey.OP_CONNECT, l);
      }
    } catch (ConnectException e) {
      fail(l, Listener.Failure.CONNECT_REFUSED, e.getMessage(), System.nanoTime());
    } catch (IOException e) {
      fail(l, Listener.Failure.CONNECT_ERROR, e.toString(), System.nanoTime());
    }
  }

  private void finishConnect(Listener l, long now) {
    try {
      if (!l.channel.finishConnect()) {
        return;
      }
      l.connectedNs = System.nanoTime();
      writeRequest(l, l.connectedNs);
    } catch (ConnectException e) {
      fail(l, Listener.Failure.CONNECT_REFUSED, e.getMessage(), now);
    } catch (IOException e) {
      fail(l, Listener.Failure.CONNECT_ERROR, e.toString(), now);
    }
  }

  private void writeRequest(Listener l, long now) {
    try {
      ByteBuffer b = ByteBuffer.wrap(request, l.requestWritten, request.length - l.requestWritten);
      l.requestWritten += l.channel.write(b);
      if (l.requestWritten < request.length) {
        l.key.interestOps(SelectionKey.OP_WRITE);
        return;
      }
      l.requestSentNs = System.nanoTime();
      l.key.interestOps(SelectionKey.OP_READ);
    } catch (IOException e) {
      fail(l, Listener.Failure.IO_ERROR, "writing request: " + e, now);
    }
  }

  private void read(Listener l) {
    for (int i = 0; i < READS_PER_EVENT; i++) {
      readBuf.clear();
      int n;
      try {
        n = l.channel.read(readBuf);
      } catch (IOException e) {
        long now = System.nanoTime();
        fail(l, beforeWindowEnd(now) && l.parser.headComplete()
            ? Listener.Failure.CLOSED_EARLY : Listener.Failure.IO_ERROR, e.toString(), now);
        return;
      }
      long now = System.nanoTime();
      if (n < 0) {
        String where = l.parser.headComplete() ? "after " + l.parser.audioBytes() + " audio bytes"
            : "before the end of the head (" + l.bytes + " bytes)";
        fail(l, Listener.Failure.CLOSED_EARLY, "server closed the connection " + where, now);
        return;
      }
      if (n == 0) {
        return;
      }
      if (l.firstByteNs < 0) {
        l.firstByteNs = now;
      } else if (!windowEnded) {
        long gap = now - l.lastByteNs;
        if (windowStarted && gap > l.maxGapNs) {
          l.maxGapNs = gap;
          l.maxGapStartNs = l.lastByteNs;
        }
        if (gap > o.stallNs) {
          l.stalls++;
          l.stallNs += gap;
        }
      }
      l.lastByteNs = now;
      l.bytes += n;
      readBuf.flip();
      l.parser.feed(readBuf);
      if (l.parser.failed()) {
        fail(l, l.parser.errorKind() == IcyStreamParser.ErrorKind.NON_200
            ? Listener.Failure.NON_200 : Listener.Failure.PARSE_ERROR, l.parser.error(), now);
        return;
      }
      if (l.firstAudioNs < 0 && l.parser.audioBytes() >= o.firstAudioBytes) {
        l.firstAudioNs = now;
      }
      if (!windowEnded) {
        long audio = l.parser.audioBytes();
        l.player.arrive(now, audio - l.audioSeen);
        l.audioSeen = audio;
      }
      if (n < readBuf.capacity()) {
        return;
      }
    }
  }

  private boolean beforeWindowEnd(long now) {
    return now < windowEndNs;
  }

  private void sweep(long now) {
    for (Listener l : listeners) {
      if (l.closed) {
        continue;
      }
      if (l.connectedNs < 0) {
        if (now - l.connectStartNs > o.timeoutNs) {
          fail(l, Listener.Failure.CONNECT_TIMEOUT, "no connection after "
              + (now - l.connectStartNs) / 1_000_000 + " ms", now);
        }
      } else if (!l.parser.headComplete()) {
        long since = l.requestSentNs >= 0 ? l.requestSentNs : l.connectedNs;
        if (now - since > o.timeoutNs) {
          fail(l, Listener.Failure.RESPONSE_TIMEOUT, "no complete head after "
              + (now - since) / 1_000_000 + " ms (" + l.bytes + " bytes)", now);
        }
      }
    }
  }

  private void startWindow(long now) {
    windowStarted = true;
    windowStartSnapNs = now;
    for (Listener l : listeners) {
      if (l.streaming()) {
        l.windowStartAudio = l.parser.audioBytes();
      }
    }
  }

  private void endWindow(long now) {
    windowEnded = true;
    windowEndSnapNs = now;
    List<Listener.Result> out = new ArrayList<>(listeners.size());
    for (Listener l : listeners) {
      boolean up = l.streaming();
      if (up && l.lastByteNs >= 0 && now - l.lastByteNs > o.stallNs) {
        // A stall still in progress at the end of the window.
        l.stalls++;
        l.stallNs += now - l.lastByteNs;
      }
      if (l.windowStartAudio >= 0) {
        l.windowEndAudio = l.parser.audioBytes();
      }
      if (l.lastByteNs >= 0) {
        // Silence still in progress, including on a closed listener: a player that does not
        // reconnect hears nothing from its close until the end.
        if (now - l.lastByteNs > l.maxGapNs) {
          l.maxGapNs = now - l.lastByteNs;
          l.maxGapStartNs = l.lastByteNs;
        }
      }
      l.player.advance(now);
      out.add(l.result(up, windowStartNs));
    }
    results = out;
    windowDone.countDown();
  }

  private void fail(Listener l, Listener.Failure why, String detail, long now) {
    if (l.failure == null && !windowEnded) {
      l.failure = why;
      l.failureDetail = detail;
      l.failedNs = now;
    }
    closeQuietly(l);
  }

  private static void closeQuietly(Listener l) {
    if (l.closed) {
      return;
    }
    l.closed = true;
    if (l.key != null) {
      l.key.cancel();
    }
    if (l.channel != null) {
      try {
        l.channel.close();
      } catch (IOException e) {
        // Already gone.
      }
    }
  }
}
