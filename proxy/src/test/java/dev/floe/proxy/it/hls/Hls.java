package dev.floe.proxy.it.hls;

import dev.floe.proxy.it.support.TestDirs;
import dev.floe.proxy.it.support.Tools;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Small HTTP helpers of the HLS tests: playlists, segments, admin calls. */
final class Hls {
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  private Hls() {}

  static HttpResponse<byte[]> get(String url) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
          .header("User-Agent", "floe-hls-test").build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (Exception e) {
      throw new IllegalStateException("GET " + url + " failed", e);
    }
  }

  static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  /** The segment URIs of a media playlist, oldest first. */
  static List<String> segments(String playlist) {
    return playlist.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
  }

  /** {@code /admin/metadata} as admin: the mount's title. */
  static void setTitle(int port, String mount, String title) {
    String url = "http://127.0.0.1:" + port + "/admin/metadata?mount=" + mount
        + "&mode=updinfo&song=" + java.net.URLEncoder.encode(title, StandardCharsets.UTF_8);
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
          .timeout(Duration.ofSeconds(10))
          .header("Authorization", "Basic " + Base64.getEncoder()
              .encodeToString("admin:adminpw".getBytes(StandardCharsets.UTF_8)))
          .build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new AssertionError("admin metadata: " + r.statusCode() + " " + r.body());
      }
    } catch (Exception e) {
      throw new IllegalStateException("GET " + url + " failed", e);
    }
  }

  /**
   * ffprobe reading the packets of {@code url} for {@code seconds} of media as they come, at its
   * error log level ({@code -v error}): started by the constructor, awaited by {@link #pts}.
   */
  static final class PacketProbe implements AutoCloseable {
    private final Process process;
    private final Path out;
    private final Path err;

    PacketProbe(String url, int seconds) {
      Path dir = TestDirs.create("ffprobe-packets");
      out = dir.resolve("out.csv");
      err = dir.resolve("err.log");
      try {
        process = new ProcessBuilder(Tools.ffprobe().toString(), "-v", "error",
            "-rw_timeout", "10000000", "-read_intervals", "%+" + seconds,
            "-show_entries", "packet=pts_time", "-of", "csv=p=0", url)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Waits for ffprobe (bounded) and returns the packets' timestamps in seconds. */
    List<Double> pts(Duration timeout) throws Exception {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("ffprobe still running after " + timeout + ": " + stderr());
      }
      if (process.exitValue() != 0) {
        throw new AssertionError("ffprobe exited " + process.exitValue() + ": " + stderr());
      }
      return Files.readAllLines(out).stream().filter(l -> !l.isBlank())
          .map(l -> Double.parseDouble(l.replace(",", "").trim())).toList();
    }

    /** What ffprobe logged (at error level and above). */
    String stderr() throws IOException {
      return Files.readString(err);
    }

    @Override
    public void close() {
      process.destroyForcibly();
    }
  }
}
