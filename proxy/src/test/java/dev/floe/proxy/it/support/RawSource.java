package dev.floe.proxy.it.support;

import dev.floe.proxy.admin.SourceHeaders;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A source spoken by hand over a socket: a request head (or a SHOUTcast password line), the
 * reply, then bytes paced at about 128 kbit/s from a scheduled task (no sleeping); or, from
 * {@link #live}, a {@code SOURCE} head with hand-written headers followed by the MP3 that a
 * real-time ffmpeg writes.
 */
public final class RawSource implements AutoCloseable {
  private static final int TIMEOUT_MS = 5000;
  private static byte[] mp3;

  private final Socket socket;
  private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
  private volatile ScheduledFuture<?> pacing;
  private volatile IOException writeError;
  private Process ffmpeg;
  private Thread pump;

  /** Connects to {@code 127.0.0.1:port}; reads time out after 5 s. */
  public RawSource(int port) {
    try {
      socket = new Socket();
      socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
      socket.setSoTimeout(TIMEOUT_MS);
    } catch (IOException e) {
      throw new UncheckedIOException("raw source to :" + port, e);
    }
  }

  /**
   * Sends {@code SOURCE mount HTTP/1.0} with Basic auth for {@code source}, {@code Content-Type:
   * audio/mpeg} and {@code headers} in order, then copies the MP3 that {@code ffmpeg -re ... -f
   * mp3 pipe:1} writes (a two-tone, real-time paced by ffmpeg) into the socket on a daemon thread
   * until closed. The reply is not read.
   */
  public static RawSource live(int port, String mount, String password,
      List<SourceHeaders.Header> headers) {
    RawSource s = new RawSource(port);
    try {
      StringBuilder req = new StringBuilder("SOURCE ").append(mount).append(" HTTP/1.0\r\n")
          .append("Authorization: ").append(basic("source", password)).append("\r\n")
          .append("Content-Type: audio/mpeg\r\n");
      for (SourceHeaders.Header h : headers) {
        req.append(h.name()).append(": ").append(h.value()).append("\r\n");
      }
      req.append("\r\n");
      OutputStream out = s.socket.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      s.ffmpeg = new ProcessBuilder(Tools.ffmpeg().toString(), "-nostdin", "-hide_banner",
          "-loglevel", "error", "-re", "-f", "lavfi", "-i",
          "aevalsrc=exprs=0.25*sin(2*PI*440*t)|0.25*sin(2*PI*550*t):s=44100:c=stereo",
          "-ac", "2", "-c:a", "libmp3lame", "-b:a", "128k", "-f", "mp3", "pipe:1")
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      s.close();
      throw new UncheckedIOException("raw source to :" + port + mount, e);
    }
    s.pump = new Thread(s::pump, "raw-source" + mount);
    s.pump.setDaemon(true);
    s.pump.start();
    return s;
  }

  private void pump() {
    byte[] buf = new byte[4096];
    try (InputStream in = ffmpeg.getInputStream()) {
      OutputStream out = socket.getOutputStream();
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
      }
    } catch (IOException e) {
      // closed: done
    }
  }

  /** An {@code Authorization} value: {@code Basic} and base64 of {@code user:password}. */
  public static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString(
        (user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** 20 s of a 128 kbit/s MP3 tone made once by ffmpeg. */
  public static synchronized byte[] mp3() {
    if (mp3 == null) {
      Path dir = TestDirs.create("raw-source");
      Path out = dir.resolve("tone.mp3");
      List<String> cmd = List.of(Tools.ffmpeg().toString(), "-nostdin", "-hide_banner",
          "-loglevel", "error", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
          "-t", "20", "-ac", "2", "-c:a", "libmp3lame", "-b:a", "128k", "-write_xing", "0",
          "-id3v2_version", "0", "-f", "mp3", out.toString());
      try {
        Path log = dir.resolve("ffmpeg.log");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile())
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
          p.destroyForcibly();
          throw new AssertionError("ffmpeg failed: " + Files.readString(log));
        }
        mp3 = Files.readAllBytes(out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    return mp3;
  }

  public void send(String text) {
    send(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  public void send(byte[] bytes) {
    try {
      socket.getOutputStream().write(bytes);
      socket.getOutputStream().flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads until {@code \r\n\r\n} (a head) and returns it. */
  public String readHead() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      InputStream in = socket.getInputStream();
      while (out.size() < 65536) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        out.write(b);
        byte[] a = out.toByteArray();
        if (a.length >= 4 && a[a.length - 4] == '\r' && a[a.length - 3] == '\n'
            && a[a.length - 2] == '\r' && a[a.length - 1] == '\n') {
          break;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  /** Reads everything until the server closes (or the timeout). */
  public String readAll() {
    try {
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends {@code data} from {@code from} to {@code to} in 1600-byte steps every 100 ms. */
  public void pace(byte[] data, int from, int to, Runnable whenDone) {
    int[] at = {from};
    pacing = pacer.scheduleAtFixedRate(() -> {
      if (at[0] >= to) {
        pacing.cancel(false);
        whenDone.run();
        return;
      }
      int n = Math.min(1600, to - at[0]);
      try {
        socket.getOutputStream().write(Arrays.copyOfRange(data, at[0], at[0] + n));
      } catch (IOException e) {
        writeError = e;
        pacing.cancel(false);
      }
      at[0] += n;
    }, 0, 100, TimeUnit.MILLISECONDS);
  }

  public IOException writeError() {
    return writeError;
  }

  public boolean closedByPeer() {
    try {
      socket.setSoTimeout(200);
      return socket.getInputStream().read() < 0;
    } catch (IOException e) {
      return e.getMessage() != null && e.getMessage().contains("reset");
    }
  }

  @Override
  public void close() {
    pacer.shutdownNow();
    try {
      if (ffmpeg != null) {
        ffmpeg.destroy();
        if (!ffmpeg.waitFor(5, TimeUnit.SECONDS)) {
          ffmpeg.destroyForcibly();
        }
      }
      socket.close();
      if (pump != null) {
        pump.join(5000);
      }
    } catch (IOException e) {
      // closing anyway
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
