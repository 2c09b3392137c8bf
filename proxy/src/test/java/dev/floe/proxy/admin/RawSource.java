package dev.floe.proxy.admin;

import dev.floe.proxy.it.support.Tools;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A source with hand-written request headers: sends {@code SOURCE /mount HTTP/1.0} with the
 * given headers to icecast2, then copies the MP3 that {@code ffmpeg -re ... -f mp3 pipe:1}
 * writes (real-time paced by ffmpeg) into the socket on a daemon thread.
 */
final class RawSource implements AutoCloseable {
  private final Socket socket;
  private final Process ffmpeg;
  private final Thread pump;

  RawSource(int port, String mount, String password, List<SourceHeaders.Header> headers) {
    try {
      socket = new Socket();
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
      StringBuilder req = new StringBuilder("SOURCE ").append(mount).append(" HTTP/1.0\r\n")
          .append("Authorization: Basic ").append(Base64.getEncoder().encodeToString(
              ("source:" + password).getBytes(StandardCharsets.UTF_8))).append("\r\n")
          .append("Content-Type: audio/mpeg\r\n");
      for (SourceHeaders.Header h : headers) {
        req.append(h.name()).append(": ").append(h.value()).append("\r\n");
      }
      req.append("\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      ffmpeg = new ProcessBuilder(Tools.ffmpeg().toString(), "-nostdin", "-hide_banner",
          "-loglevel", "error", "-re", "-f", "lavfi", "-i",
          "aevalsrc=exprs=0.25*sin(2*PI*440*t)|0.25*sin(2*PI*550*t):s=44100:c=stereo",
          "-ac", "2", "-c:a", "libmp3lame", "-b:a", "128k", "-f", "mp3", "pipe:1")
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("raw source to :" + port + mount, e);
    }
    pump = new Thread(this::pump, "raw-source" + mount);
    pump.setDaemon(true);
    pump.start();
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

  @Override
  public void close() {
    ffmpeg.destroy();
    try {
      if (!ffmpeg.waitFor(5, TimeUnit.SECONDS)) {
        ffmpeg.destroyForcibly();
      }
      socket.close();
      pump.join(5000);
    } catch (IOException e) {
      // closing anyway
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
