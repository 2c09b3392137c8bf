package dev.floe.bench.load;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The selector thread of strict ICY listeners: each reads and parses one stream ({@link
 * IcyStreamParser}) and counts its stalls.
 */
final class IcyWorker extends Worker {
  private static final int READS_PER_EVENT = 4;

  private final InetSocketAddress address;
  private final byte[] request;
  private final ByteBuffer readBuf = ByteBuffer.allocateDirect(64 * 1024);
  private final List<Listener> listeners = new ArrayList<>();

  IcyWorker(
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
    super(o, index, stride, t0, windowStartNs, windowEndNs, windowDone);
    this.address = address;
    this.request = request;
  }

  @Override
  void ready(SelectionKey k, long t) {
    Listener l = (Listener) k.attachment();
    if (k.isConnectable()) {
      finishConnect(l, t);
    } else if (k.isWritable()) {
      writeRequest(l, t);
    } else if (k.isReadable()) {
      read(l);
    }
  }

  @Override
  void closeAll() {
    for (Listener l : listeners) {
      closeQuietly(l);
    }
  }

  @Override
  void open(int id, long now) {
    Listener l = new Listener(id, o.metadata, o.playerModel.copy());
    listeners.add(l);
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

  @Override
  void sweep(long now) {
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

  @Override
  void startWindow(long now) {
    for (Listener l : listeners) {
      if (l.streaming()) {
        l.windowStartAudio = l.parser.audioBytes();
      }
    }
  }

  @Override
  List<Listener.Result> endWindow(long now) {
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
    return out;
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
