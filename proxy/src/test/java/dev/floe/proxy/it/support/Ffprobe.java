package dev.floe.proxy.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs {@code ffprobe} on a stream URL to check codec, sample rate and channels. */
public final class Ffprobe {

  private static final Pattern FIELD = Pattern.compile(
      "\"(codec_name|codec_type|sample_rate|channels)\"\\s*:\\s*\"?([^\",\\s}]*)\"?");

  private Ffprobe() {
  }

  /** The first audio stream as ffprobe saw it. */
  public record AudioStream(String codecName, int sampleRate, int channels) {
  }

  /**
   * {@code ffprobe -v error -rw_timeout 10000000 -formatprobesize 32768 -show_streams
   * -of json URL} (the small format probe: see {@link FfmpegPlayer.Builder#fastProbe}), bounded by
   * {@code timeout}; fails with ffprobe's stderr on a non-zero exit.
   *
   * @return the JSON document ({@code {"streams":[...]}})
   */
  public static String streamsJson(String url, Duration timeout) {
    return run(url, timeout, "-formatprobesize", "32768", "-show_streams", "-of", "json");
  }

  /**
   * The {@code title} tag ffprobe reads from {@code url} ({@code -show_entries
   * format_tags=title}), e.g. a segment's ID3 {@code TIT2}; empty when there is none.
   */
  public static String title(String url, Duration timeout) {
    return run(url, timeout, "-show_entries", "format_tags=title", "-of",
        "default=noprint_wrappers=1:nokey=1").strip();
  }

  /**
   * {@code ffprobe -v error -rw_timeout 10000000 <args> URL}, bounded by {@code timeout}; fails
   * with ffprobe's stderr on a non-zero exit.
   *
   * @return what ffprobe printed on stdout
   */
  public static String run(String url, Duration timeout, String... args) {
    Path ffprobe = Tools.ffprobe();
    Path dir = TestDirs.create("ffprobe");
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.log");
    List<String> cmd = new ArrayList<>(
        List.of(ffprobe.toString(), "-v", "error", "-rw_timeout", "10000000"));
    cmd.addAll(List.of(args));
    cmd.add(url);
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectOutput(out.toFile())
        .redirectError(err.toFile());
    Process p = Procs.start(pb);
    try {
      if (!Procs.waitFor(p, timeout)) {
        throw new AssertionError("ffprobe " + url + " still running after " + timeout + ": "
            + Procs.read(err));
      }
      if (p.exitValue() != 0) {
        throw new AssertionError("ffprobe " + url + " exited " + p.exitValue() + ": "
            + Procs.read(err));
      }
      return Files.readString(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      Procs.stop(p, Duration.ofSeconds(2));
    }
  }

  /** The first audio stream of {@code url}; fails when there is none. */
  public static AudioStream audio(String url, Duration timeout) {
    String json = streamsJson(url, timeout);
    // ffprobe prints one object per stream; split at "index" to keep fields per stream.
    for (String stream : json.split("\"index\"")) {
      String codec = null;
      String type = null;
      int rate = 0;
      int channels = 0;
      Matcher m = FIELD.matcher(stream);
      while (m.find()) {
        switch (m.group(1)) {
          case "codec_name" -> codec = codec == null ? m.group(2) : codec;
          case "codec_type" -> type = type == null ? m.group(2) : type;
          case "sample_rate" -> rate = rate == 0 ? Integer.parseInt(m.group(2)) : rate;
          default -> channels = channels == 0 ? Integer.parseInt(m.group(2)) : channels;
        }
      }
      if ("audio".equals(type)) {
        return new AudioStream(codec, rate, channels);
      }
    }
    throw new AssertionError("no audio stream in " + url + ": " + json);
  }
}
