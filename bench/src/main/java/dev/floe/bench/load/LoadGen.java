package dev.floe.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Whole-process load generator: opens N strict ICY listeners against one mount at a fixed ramp
 * rate, keeps them for a steady window, and reports connect time, time to first byte, time to the
 * first 64 KiB of audio, stalls, per-listener audio rate and failures by reason.
 *
 * <p>Plain NIO, at most one selector thread per core, a 64 KiB read buffer per thread and no audio
 * kept. Timeline: the ramp ({@code listeners / ramp} seconds), then {@code --settle}, then the
 * steady window of {@code --duration}. With {@code --pid} it also samples the server's CPU time
 * and memory from {@code /proc} at the window's edges.
 *
 * <p>Each listener also reports its longest silence (largest gap between two reads that returned
 * bytes, or from the last one to the window's end, among the gaps that end inside the window) and
 * when it began, and the underrun of a modelled player
 * ({@link PlayerModel}, {@code --player-model}), the audible part of that silence.
 *
 * <p>With {@code --hls} each listener is instead an hls.js player on a live HLS playlist
 * ({@link HlsSession}, {@link HlsWorker}); its stalls are its player model's underruns.
 *
 * <p>Run: {@code java -cp bench/target/floe-bench.jar dev.floe.bench.load.LoadGen --help}.
 */
public final class LoadGen {
  private LoadGen() {}

  /**
   * Entry point.
   *
   * @param args see {@code --help}
   */
  public static void main(String[] args) throws Exception {
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      if (!"help".equals(e.getMessage())) {
        System.err.println("error: " + e.getMessage());
      }
      System.err.println(Options.usage());
      System.exit("help".equals(e.getMessage()) ? 0 : 64);
      return;
    }
    if (o.probe) {
      System.exit(probe(o) ? 0 : 1);
      return;
    }
    System.exit(run(o));
  }

  static byte[] request(Options o) {
    URI u = URI.create(o.url);
    String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
    if (u.getRawQuery() != null) {
      path += "?" + u.getRawQuery();
    }
    String host = u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "");
    String req = "GET " + path + " HTTP/1.0\r\n"
        + "Host: " + host + "\r\n"
        + "User-Agent: floe-loadgen\r\n"
        + (o.metadata ? "Icy-MetaData: 1\r\n" : "")
        + "\r\n";
    return req.getBytes(StandardCharsets.ISO_8859_1);
  }

  static InetSocketAddress address(Options o) {
    URI u = URI.create(o.url);
    return new InetSocketAddress(u.getHost(), u.getPort() > 0 ? u.getPort() : 80);
  }

  /** One blocking listener: succeeds once {@code probeBytes} of valid audio arrived in time. */
  static boolean probe(Options o) {
    long deadline = System.nanoTime() + o.timeoutNs;
    IcyStreamParser p = new IcyStreamParser(o.metadata);
    try (Socket s = new Socket()) {
      s.connect(address(o), (int) Math.max(1, o.timeoutNs / 1_000_000));
      OutputStream out = s.getOutputStream();
      out.write(request(o));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] b = new byte[16 * 1024];
      while (p.audioBytes() < o.probeBytes) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          System.err.println("probe: timeout after " + p.audioBytes() + " audio bytes");
          return false;
        }
        s.setSoTimeout((int) Math.max(1, left / 1_000_000));
        int n = in.read(b);
        if (n < 0) {
          System.err.println("probe: closed after " + p.audioBytes() + " audio bytes"
              + (p.statusLine() == null ? "" : " (" + p.statusLine() + ")"));
          return false;
        }
        p.feed(ByteBuffer.wrap(b, 0, n));
        if (p.failed()) {
          System.err.println("probe: " + p.errorKind() + ": " + p.error());
          return false;
        }
      }
      System.out.println("probe: ok, " + p.statusLine() + ", icy-metaint " + p.metaint()
          + ", content-type " + p.contentType()
          + (p.lastMetadata() == null ? "" : ", metadata " + p.lastMetadata()));
      return true;
    } catch (SocketTimeoutException e) {
      System.err.println("probe: timeout after " + p.audioBytes() + " audio bytes");
      return false;
    } catch (IOException e) {
      System.err.println("probe: " + e);
      return false;
    }
  }

  static int run(Options o) throws IOException, InterruptedException {
    InetSocketAddress addr = address(o);
    if (addr.isUnresolved()) {
      System.err.println("error: cannot resolve " + o.url);
      return 64;
    }
    byte[] req = request(o);
    long t0 = System.nanoTime() + 50_000_000L;
    long rampNs = (long) (o.listeners * 1e9 / o.ramp);
    long windowStart = t0 + rampNs + o.settleNs;
    long windowEnd = windowStart + o.durationNs;
    CountDownLatch windowDone = new CountDownLatch(o.threads);
    List<Worker> workers = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < o.threads; i++) {
      Worker w = o.hls
          ? new HlsWorker(o, addr, i, o.threads, t0, windowStart, windowEnd, windowDone)
          : new IcyWorker(o, addr, req, i, o.threads, t0, windowStart, windowEnd, windowDone);
      workers.add(w);
      Thread t = new Thread(w, "loadgen-" + i);
      t.setDaemon(true);
      threads.add(t);
    }
    System.err.printf("loadgen: %d listeners at %.0f/s (ramp %.1f s), settle %.1f s, window %.1f s%n",
        o.listeners, o.ramp, rampNs / 1e9, o.settleNs / 1e9, o.durationNs / 1e9);
    threads.forEach(Thread::start);

    parkUntil(windowStart);
    if (o.signalDir != null) {
      Files.createDirectories(o.signalDir);
      Files.writeString(o.signalDir.resolve("window-start"), "1\n");
    }
    ProcSample serverStart = ProcSample.read(o.pid);
    long serverStartNs = System.nanoTime();
    long genCpuStart = processCpuNs();
    parkUntil(windowEnd);
    ProcSample serverEnd = ProcSample.read(o.pid);
    long serverEndNs = System.nanoTime();
    long genCpuEnd = processCpuNs();

    if (!windowDone.await(30, TimeUnit.SECONDS)) {
      System.err.println("loadgen: workers did not finish the window in time");
    }
    List<Listener.Result> results = new ArrayList<>();
    long maxLag = 0;
    for (Worker w : workers) {
      List<Listener.Result> r = w.results();
      if (r != null) {
        results.addAll(r);
      }
      maxLag = Math.max(maxLag, w.maxOpenLagNs);
    }
    results.sort(Comparator.comparingInt(Listener.Result::id));
    Report.Context ctx = new Report.Context(
        o,
        o.durationNs / 1e9,
        genCpuStart < 0 ? -1 : (genCpuEnd - genCpuStart) / 1e9,
        maxLag,
        serverStart,
        serverEnd,
        (serverEndNs - serverStartNs) / 1e9);
    Report report = new Report(results, ctx);
    System.out.print(report.text());
    System.out.flush();
    if (o.json != null) {
      Files.writeString(o.json, report.json() + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
    if (o.signalDir != null) {
      hold(o);
    }
    workers.forEach(Worker::stop);
    for (Thread t : threads) {
      t.join(10_000);
    }
    return 0;
  }

  /** Signals the end of the window and keeps the listeners until released (bounded). */
  private static void hold(Options o) throws IOException {
    Files.createDirectories(o.signalDir);
    Files.writeString(o.signalDir.resolve("steady-end"), "1\n");
    long deadline = System.nanoTime() + o.holdMaxNs;
    while (!Files.exists(o.signalDir.resolve("release"))) {
      if (System.nanoTime() > deadline) {
        System.err.println("loadgen: not released within --hold-max, disconnecting");
        return;
      }
      LockSupport.parkNanos(100_000_000L);
    }
  }

  private static void parkUntil(long deadline) {
    for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
  }

  private static long processCpuNs() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean) {
      return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
    }
    return -1;
  }
}
