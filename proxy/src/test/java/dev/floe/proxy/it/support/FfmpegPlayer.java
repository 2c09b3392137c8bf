package dev.floe.proxy.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real player: {@code ffmpeg} connects to a stream URL, demuxes and decodes it to
 * {@code -f null}, for at most a given duration of audio.
 *
 * <p>It runs with {@code -loglevel verbose} because ffmpeg 5.1 logs ICY title changes only at
 * verbose level, from its http protocol: {@code [http @ 0x..] Metadata update for
 * StreamTitle: <title>} (once for the first metadata block, even when empty, then once per
 * change). Errors are logged at every level. {@code -rw_timeout 10 s} ends a stalled stream.
 * By default it probes with {@code -formatprobesize 32768}; see {@link Builder#fastProbe}.
 *
 * <p>{@link #decodeErrors()} filter: the stderr is split at CR and LF; progress lines
 * ({@code size=... time=...}), ICY metadata updates and metadata dump lines
 * ({@code "    key   : value"}) and the debug summary "N frames successfully decoded, 0 decoding
 * errors" are dropped, and a remaining line counts as an error when it
 * matches, ignoring case, {@code error|invalid|corrupt|header missing|concealing|overread|
 * damaged|non[- ]?monoton|truncat|failed|could not|incomplete|broken|reset by peer|
 * no frame|not found|unable}. Deliberately not errors: {@code Skipping N bytes of junk}
 * (the mp3 demuxer resyncs there at the start of every Icecast stream, since listeners join
 * on the source's chunk boundaries, not on frame boundaries).
 */
public final class FfmpegPlayer implements AutoCloseable {

  private static final Pattern ERROR = Pattern.compile(
      "error|invalid|corrupt|header missing|concealing|overread|damaged|non[- ]?monoton"
          + "|truncat|failed|could not|incomplete|broken|reset by peer|no frame|not found|unable",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern NO_ERRORS = Pattern.compile("\\b0 decoding errors");
  private static final Pattern PROGRESS = Pattern.compile("^\\s*size=.*time=");
  private static final Pattern METADATA_DUMP = Pattern.compile("^\\s{2,}[^\\[\\s][^:]*?\\s+: ");
  private static final Pattern TITLE = Pattern.compile("Metadata update for StreamTitle: (.*)$");
  private static final Pattern TIME =
      Pattern.compile("time=\\s*(-?)(\\d+):(\\d{2}):(\\d{2})(?:\\.(\\d+))?");
  private static final Pattern LINES = Pattern.compile("[\\r\\n]+");
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private final Process process;
  private final Path stderrFile;
  private final List<String> command;

  private FfmpegPlayer(Process process, Path stderrFile, List<String> command) {
    this.process = process;
    this.stderrFile = stderrFile;
    this.command = command;
  }

  /**
   * Starts {@code ffmpeg -nostdin -hide_banner -loglevel verbose -rw_timeout 10000000
   * -formatprobesize 32768 -icy 1|0 -i URL -t <maxDuration> -f null -} with the stderr file in
   * a new {@link TestDirs} dir. See {@link Builder} for the options.
   *
   * @param url the stream, e.g. {@code http://127.0.0.1:P/live.mp3}
   * @param icy whether to ask for ICY metadata ({@code Icy-MetaData: 1})
   * @param maxDuration how much audio to decode before exiting
   */
  public static FfmpegPlayer start(String url, boolean icy, Duration maxDuration) {
    return builder(url).icy(icy).maxDuration(maxDuration).start();
  }

  /** As {@link #start(String, boolean, Duration)}, with the stderr file in {@code workDir}. */
  public static FfmpegPlayer start(String url, boolean icy, Duration maxDuration, Path workDir) {
    return builder(url).icy(icy).maxDuration(maxDuration).workDir(workDir).start();
  }

  /** A player with options. */
  public static Builder builder(String url) {
    return new Builder(url);
  }

  /**
   * Waits (bounded) for ffmpeg to finish and returns its exit code (0 when the stream was
   * read to the end or to the duration limit). Fails with the stderr tail on timeout; the
   * player is then killed.
   */
  public int awaitExit(Duration timeout) {
    if (!Procs.waitFor(process, timeout)) {
      Procs.stop(process, STOP_GRACE);
      throw new AssertionError("ffmpeg player still running after " + timeout + "\n"
          + Procs.tail(stderr(), 3000));
    }
    return process.exitValue();
  }

  /** Whether ffmpeg is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** Decoder, demuxer and I/O error lines (see the class comment for the filter). */
  public List<String> decodeErrors() {
    List<String> errors = new ArrayList<>();
    for (String line : lines()) {
      if (PROGRESS.matcher(line).find() || TITLE.matcher(line).find()
          || METADATA_DUMP.matcher(line).find() || NO_ERRORS.matcher(line).find()) {
        continue;
      }
      if (ERROR.matcher(line).find()) {
        errors.add(line);
      }
    }
    return errors;
  }

  /** The ICY StreamTitle values ffmpeg reported, in order (the first is often empty). */
  public List<String> icyTitles() {
    List<String> titles = new ArrayList<>();
    for (String line : lines()) {
      Matcher m = TITLE.matcher(line);
      if (m.find()) {
        titles.add(m.group(1));
      }
    }
    return titles;
  }

  /** The last {@code time=} progress value: how much audio was decoded so far. */
  public Duration decodedDuration() {
    Matcher m = TIME.matcher(stderr());
    Duration last = Duration.ZERO;
    while (m.find()) {
      if (!m.group(1).isEmpty()) {
        continue;
      }
      String frac = m.group(5) == null ? "0" : (m.group(5) + "000").substring(0, 3);
      last = Duration.ofHours(Long.parseLong(m.group(2)))
          .plusMinutes(Long.parseLong(m.group(3)))
          .plusSeconds(Long.parseLong(m.group(4)))
          .plusMillis(Long.parseLong(frac));
    }
    return last;
  }

  /** Everything ffmpeg wrote to stderr so far. */
  public String stderr() {
    return Procs.read(stderrFile);
  }

  /** The ffmpeg command line. */
  public List<String> command() {
    return command;
  }

  /** Stops ffmpeg if it is still running. */
  @Override
  public void close() {
    Procs.stop(process, STOP_GRACE);
  }

  private List<String> lines() {
    List<String> out = new ArrayList<>();
    for (String line : LINES.split(stderr())) {
      if (!line.isBlank()) {
        out.add(line);
      }
    }
    return out;
  }

  /** Player options; {@link #start()} launches ffmpeg. */
  public static final class Builder {
    private final String url;
    private boolean icy = true;
    private Duration maxDuration = Duration.ofSeconds(5);
    private boolean fastProbe = true;
    private Path workDir;
    private final List<String> inputOptions = new ArrayList<>();

    private Builder(String url) {
      this.url = url;
    }

    /** {@code -icy 1} (default) or {@code -icy 0}. */
    public Builder icy(boolean on) {
      this.icy = on;
      return this;
    }

    /** {@code -t}: how much audio to decode before exiting; default 5 s. */
    public Builder maxDuration(Duration d) {
      this.maxDuration = d;
      return this;
    }

    /**
     * {@code -formatprobesize 32768} (default true). Without it ffmpeg 5.1 reads 131072 bytes
     * before it accepts an MP3 stream without ID3 tag (the probe score stays at 50 until the
     * maximum probe size), about 8 s of 128 kbps audio, i.e. 4 s of wall time after a 64 KB
     * burst. false probes like a stock ffmpeg.
     */
    public Builder fastProbe(boolean on) {
      this.fastProbe = on;
      return this;
    }

    /** Extra input options placed before {@code -i}, e.g. {@code -headers}. */
    public Builder inputOption(String... args) {
      inputOptions.addAll(List.of(args));
      return this;
    }

    /** Where the stderr file goes; default a new {@link TestDirs} dir. */
    public Builder workDir(Path dir) {
      this.workDir = dir;
      return this;
    }

    /** Launches ffmpeg; it connects asynchronously. */
    public FfmpegPlayer start() {
      Path ffmpeg = Tools.ffmpeg();
      Path dir = workDir != null ? workDir : TestDirs.create("ffmpeg-player");
      List<String> cmd = new ArrayList<>(List.of(ffmpeg.toString(), "-nostdin", "-hide_banner",
          "-loglevel", "verbose", "-rw_timeout", "10000000"));
      if (fastProbe) {
        cmd.addAll(List.of("-formatprobesize", "32768"));
      }
      cmd.addAll(List.of("-icy", icy ? "1" : "0"));
      cmd.addAll(inputOptions);
      cmd.addAll(List.of("-i", url, "-t", FfmpegSource.seconds(maxDuration), "-f", "null", "-"));
      Path stderrFile;
      try {
        Files.createDirectories(dir);
        stderrFile = Files.createTempFile(dir, "ffmpeg-player-", ".log");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create a log file in " + dir, e);
      }
      return new FfmpegPlayer(Procs.start(cmd, dir, stderrFile), stderrFile, List.copyOf(cmd));
    }
  }
}
