package dev.floe.proxy.it.soak;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Listeners that come and go: one selector thread keeps {@code size} plain GETs of a mount open,
 * each for a random lifetime, reading and discarding what arrives, and opens a new one for each
 * that ends. Counts connections, those answered 200, those the server closed before their time,
 * and bytes. Cheap enough for hundreds at once on a small machine.
 */
final class Crowd implements AutoCloseable {
  private final int port;
  private final String path;
  private final int size;
  private final long minLifeNanos;
  private final long maxLifeNanos;
  private final Random random;
  private final Selector selector;
  private final Thread thread;
  private volatile boolean running = true;
  private final AtomicLong opened = new AtomicLong();
  private final AtomicLong answered = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong cut = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();

  private static final class Member {
    final long deadline;
    final ByteBuffer request;
    boolean headSeen;
    final StringBuilder head = new StringBuilder();

    Member(long deadline, ByteBuffer request) {
      this.deadline = deadline;
      this.request = request;
    }
  }

  Crowd(int port, String path, int size, long minLifeMillis, long maxLifeMillis, long seed)
      throws IOException {
    this.port = port;
    this.path = path;
    this.size = size;
    this.minLifeNanos = minLifeMillis * 1_000_000L;
    this.maxLifeNanos = maxLifeMillis * 1_000_000L;
    this.random = new Random(seed);
    this.selector = Selector.open();
    this.thread = new Thread(this::run, "crowd-" + path);
    thread.setDaemon(true);
    thread.start();
  }

  long opened() {
    return opened.get();
  }

  long answered() {
    return answered.get();
  }

  long refused() {
    return refused.get();
  }

  /** Connections the server closed before their lifetime was over. */
  long cut() {
    return cut.get();
  }

  long bytes() {
    return bytes.get();
  }

  /** Why connections were refused or cut: a status line or an exception, with counts. */
  Map<String, Integer> failures() {
    return Map.copyOf(failures);
  }

  private void fail(AtomicLong counter, String why) {
    counter.incrementAndGet();
    failures.merge(why, 1, Integer::sum);
  }

  private void run() {
    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    try {
      while (running) {
        while (selector.keys().size() < size && running) {
          open();
        }
        selector.select(50);
        long now = System.nanoTime();
        for (SelectionKey k : selector.selectedKeys()) {
          handle(k, buf);
        }
        selector.selectedKeys().clear();
        List<SelectionKey> expired = new ArrayList<>();
        for (SelectionKey k : selector.keys()) {
          if (k.isValid() && ((Member) k.attachment()).deadline <= now) {
            expired.add(k);
          }
        }
        for (SelectionKey k : expired) {
          close(k);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("crowd selector failed", e);
    } finally {
      for (SelectionKey k : selector.keys()) {
        close(k);
      }
    }
  }

  private void open() throws IOException {
    SocketChannel ch = SocketChannel.open();
    ch.configureBlocking(false);
    ch.connect(new InetSocketAddress("127.0.0.1", port));
    long life = minLifeNanos + (long) (random.nextDouble() * (maxLifeNanos - minLifeNanos));
    ByteBuffer req = ByteBuffer.wrap(("GET " + path + " HTTP/1.0\r\nUser-Agent: crowd\r\n"
        + "Icy-MetaData: 1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    ch.register(selector, SelectionKey.OP_CONNECT, new Member(System.nanoTime() + life, req));
    opened.incrementAndGet();
  }

  private void handle(SelectionKey k, ByteBuffer buf) {
    Member m = (Member) k.attachment();
    SocketChannel ch = (SocketChannel) k.channel();
    try {
      if (k.isValid() && k.isConnectable()) {
        ch.finishConnect();
        k.interestOps(SelectionKey.OP_WRITE);
      }
      if (k.isValid() && k.isWritable()) {
        ch.write(m.request);
        if (!m.request.hasRemaining()) {
          k.interestOps(SelectionKey.OP_READ);
        }
      }
      if (k.isValid() && k.isReadable()) {
        buf.clear();
        int n = ch.read(buf);
        if (n < 0) {
          fail(m.headSeen ? cut : refused, (m.headSeen ? "closed after " : "closed before ")
              + "the head: " + m.head);
          close(k);
          return;
        }
        bytes.addAndGet(n);
        if (!m.headSeen) {
          m.head.append(new String(buf.array(), 0, Math.min(n, 16), StandardCharsets.ISO_8859_1));
          if (m.head.length() >= 12) {
            m.headSeen = true;
            if (m.head.toString().startsWith("HTTP/1.0 200")) {
              answered.incrementAndGet();
            } else {
              fail(refused, m.head.toString());
              close(k);
            }
          }
        }
      }
    } catch (IOException e) {
      fail(m.headSeen ? cut : refused, e.toString());
      close(k);
    }
  }

  private static void close(SelectionKey k) {
    k.cancel();
    try {
      k.channel().close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  @Override
  public void close() {
    running = false;
    selector.wakeup();
    try {
      thread.join(5000);
      selector.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
