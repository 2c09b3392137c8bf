package dev.floe.proxy.it.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ServerSocketFactory;

/**
 * A tiny upstream whose every connection follows a script, for the behaviours no real server
 * shows on demand: {@code ICY 200 OK}, redirects, stalls. Binds 127.0.0.1 on a free port.
 */
public final class ScriptedUpstream implements AutoCloseable {
  /**
   * What to do with one accepted connection, after its request head was read. When the script
   * returns, the connection stays open, silent, until the client closes it (as a live server
   * that stopped sending); a script that wants to hang up closes {@code out}.
   */
  public interface Script {
    void serve(int connection, String requestHead, OutputStream out) throws IOException;
  }

  private final ServerSocket server;
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  private ScriptedUpstream(ServerSocketFactory factory, Script script) throws IOException {
    server = factory.createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    pool.execute(() -> acceptLoop(script));
  }

  /** A plain-TCP upstream. */
  public static ScriptedUpstream start(Script script) throws IOException {
    return new ScriptedUpstream(ServerSocketFactory.getDefault(), script);
  }

  /** An upstream on the given server socket factory (e.g. TLS). */
  public static ScriptedUpstream start(ServerSocketFactory factory, Script script)
      throws IOException {
    return new ScriptedUpstream(factory, script);
  }

  public int port() {
    return server.getLocalPort();
  }

  /** The request heads received so far, one per connection. */
  public List<String> requests() {
    return requests;
  }

  private void acceptLoop(Script script) {
    for (int n = 0; n < 10_000 && !server.isClosed(); n++) {
      try {
        Socket s = server.accept();
        sockets.add(s);
        int index = n;
        pool.execute(() -> handle(s, index, script));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void handle(Socket s, int index, Script script) {
    try (s) {
      s.setSoTimeout(30_000);
      String head = readHead(s.getInputStream());
      requests.add(head);
      script.serve(index, head, s.getOutputStream());
      s.getOutputStream().flush();
      s.setSoTimeout(0);
      InputStream in = s.getInputStream();
      while (in.read() >= 0) {
        // hold the connection until the client closes it or the upstream is closed
      }
    } catch (IOException | RuntimeException e) {
      // the client went away or the script ended the connection
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c; (c = in.read()) >= 0 && b.size() < 16384; ) {
      b.write(c);
      if (b.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        break;
      }
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  /**
   * {@code count} synthetic MPEG-1 Layer III frames (128 kbit/s, 44.1 kHz, 417 bytes each):
   * valid headers with silent payloads, enough for framing and chunking.
   */
  public static byte[] mp3Frames(int count) {
    byte[] out = new byte[count * 417];
    for (int i = 0; i < count; i++) {
      int o = i * 417;
      out[o] = (byte) 0xFF;
      out[o + 1] = (byte) 0xFB;
      out[o + 2] = (byte) 0x90;
      out[o + 3] = (byte) 0x64;
    }
    return out;
  }

  /** Interleaves ICY metadata blocks carrying {@code title} into audio at {@code metaint}. */
  public static byte[] withMetadata(byte[] audio, int metaint, String title) {
    byte[] text = ("StreamTitle='" + title + "';").getBytes(StandardCharsets.UTF_8);
    int units = (text.length + 15) / 16;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int off = 0; off < audio.length; off += metaint) {
      int n = Math.min(metaint, audio.length - off);
      out.write(audio, off, n);
      if (n == metaint) {
        out.write(units);
        out.write(text, 0, text.length);
        out.write(new byte[units * 16 - text.length], 0, units * 16 - text.length);
      }
    }
    return out.toByteArray();
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    pool.shutdownNow();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
