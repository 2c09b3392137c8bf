package dev.floe.proxy.it.source;

import dev.floe.proxy.it.support.TestDirs;
import dev.floe.proxy.it.support.Tools;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
 * reply, then bytes paced at about 128 kbit/s from a scheduled task (no sleeping).
 */
final class RawSource implements AutoCloseable {
  private static final int TIMEOUT_MS = 5000;
  private static byte[] mp3;

  private final Socket socket;
  private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
  private volatile ScheduledFuture<?> pacing;
  private volatile IOException writeError;

  RawSource(int port) {
    try {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(TIMEOUT_MS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString(
        (user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** 20 s of a 128 kbit/s MP3 tone made once by ffmpeg. */
  static synchronized byte[] mp3() {
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

  void send(String text) {
    send(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  void send(byte[] bytes) {
    try {
      socket.getOutputStream().write(bytes);
      socket.getOutputStream().flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads until {@code \r\n\r\n} (a head) and returns it. */
  String readHead() {
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
  String readAll() {
    try {
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends {@code data} from {@code from} to {@code to} in 1600-byte steps every 100 ms. */
  void pace(byte[] data, int from, int to, Runnable whenDone) {
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

  IOException writeError() {
    return writeError;
  }

  boolean closedByPeer() {
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
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
