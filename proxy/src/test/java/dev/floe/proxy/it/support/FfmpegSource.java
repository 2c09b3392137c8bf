package dev.floe.proxy.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A live source: {@code ffmpeg -re} encodes a generated tone (not silence: a mix of sines, a
 * different one per channel) and pushes it to an Icecast-protocol server with ffmpeg's
 * {@code icecast://} protocol ({@code PUT} with {@code Expect: 100-continue}; {@code SOURCE}
 * with {@link Builder#legacySource(boolean)}). stderr goes to a file in the work dir.
 *
 * <p>When the server goes away ffmpeg fails with "Broken pipe" and exits (it does not
 * reconnect): start a new source after a server restart.
 */
public final class FfmpegSource implements AutoCloseable {

  /** The encodings a source can push. */
  public enum Format {
    /** MP3 128 kbps 44.1 kHz stereo, {@code -f mp3}, {@code audio/mpeg}. */
    MP3("audio/mpeg", 44100, List.of("-c:a", "libmp3lame", "-b:a", "128k", "-f", "mp3")),
    /** AAC-LC 128 kbps 44.1 kHz stereo in ADTS, {@code audio/aac}. */
    AAC("audio/aac", 44100, List.of("-c:a", "aac", "-b:a", "128k", "-f", "adts")),
    /** Opus 96 kbps 48 kHz stereo in Ogg, {@code application/ogg}. */
    OPUS("application/ogg", 48000, List.of("-c:a", "libopus", "-b:a", "96k", "-f", "ogg")),
    /** Vorbis 128 kbps (nominal) 44.1 kHz stereo in Ogg, {@code application/ogg}. */
    VORBIS("application/ogg", 44100, List.of("-c:a", "libvorbis", "-b:a", "128k", "-f", "ogg"));

    private final String contentType;
    private final int sampleRate;
    private final List<String> encoderArgs;

    Format(String contentType, int sampleRate, List<String> encoderArgs) {
      this.contentType = contentType;
      this.sampleRate = sampleRate;
      this.encoderArgs = encoderArgs;
    }

    /** The Content-Type the source announces. */
    public String contentType() {
      return contentType;
    }

    /** The sample rate of the encoded stream. */
    public int sampleRate() {
      return sampleRate;
    }
  }

  private static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private final Process process;
  private final Path stderrFile;
  private final List<String> command;

  private FfmpegSource(Process process, Path stderrFile, List<String> command) {
    this.process = process;
    this.stderrFile = stderrFile;
    this.command = command;
  }

  /** Starts an MP3 source to {@code url} with the defaults; see {@link #builder}. */
  public static FfmpegSource mp3(String url) {
    return builder(Format.MP3, url).start();
  }

  /** Starts an AAC (ADTS) source to {@code url} with the defaults. */
  public static FfmpegSource aac(String url) {
    return builder(Format.AAC, url).start();
  }

  /** Starts an Opus (Ogg) source to {@code url} with the defaults. */
  public static FfmpegSource opus(String url) {
    return builder(Format.OPUS, url).start();
  }

  /**
   * A source with options. {@code url} is the mount URL, {@code http://127.0.0.1:P/mount}
   * (e.g. {@link IcecastServer#url(String)}) or {@code icecast://user:pass@127.0.0.1:P/mount};
   * an http URL gets user {@code source} and the {@link Builder#password(String)}.
   */
  public static Builder builder(Format format, String url) {
    return new Builder(format, url);
  }

  /** Whether ffmpeg is still running (pushing). */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** The ffmpeg pid. */
  public long pid() {
    return process.pid();
  }

  /** What ffmpeg wrote to stderr so far (errors, e.g. a 401/403 or "Broken pipe"). */
  public String stderr() {
    return Procs.read(stderrFile);
  }

  /** The ffmpeg command line, for diagnostics. */
  public List<String> command() {
    return command;
  }

  /**
   * Waits (bounded) for ffmpeg to exit by itself and returns its exit code; fails with the
   * stderr when it is still running after {@code timeout}.
   */
  public int awaitExit(Duration timeout) {
    if (!Procs.waitFor(process, timeout)) {
      throw new AssertionError("ffmpeg source still running after " + timeout + "\n"
          + Procs.tail(stderr(), 3000));
    }
    return process.exitValue();
  }

  /** SIGKILL, as an encoder that crashes or loses power: its connection is reset, not closed. */
  public void kill() {
    Procs.kill(process);
  }

  /** Stops ffmpeg (SIGTERM, then SIGKILL after 5 s). */
  @Override
  public void close() {
    Procs.stop(process, STOP_GRACE);
  }

  @Override
  public String toString() {
    return "ffmpeg source pid " + process.pid() + " " + command;
  }

  /** Options for an {@link FfmpegSource}; {@link #start()} launches ffmpeg. */
  public static final class Builder {
    private final Format format;
    private final String url;
    private String user = "source";
    private String password = "hackme";
    private boolean legacySource;
    private String iceName = "Floe test stream";
    private String iceGenre;
    private String iceDescription;
    private String iceUrl;
    private Boolean icePublic;
    private String contentType;
    private Duration duration;
    private Path workDir;
    private final List<String> metadata = new ArrayList<>();

    private Builder(Format format, String url) {
      this.format = format;
      this.url = url;
    }

    /** Source user for http URLs; default {@code source}. */
    public Builder user(String user) {
      this.user = user;
      return this;
    }

    /** Source password for http URLs; default {@code hackme}. */
    public Builder password(String password) {
      this.password = password;
      return this;
    }

    /** {@code -legacy_icecast 1}: the pre-2.4 {@code SOURCE} method instead of PUT. */
    public Builder legacySource(boolean legacy) {
      this.legacySource = legacy;
      return this;
    }

    /** {@code ice-name}; default "Floe test stream"; {@code null} sends none. */
    public Builder iceName(String name) {
      this.iceName = name;
      return this;
    }

    /** {@code ice-genre}. */
    public Builder iceGenre(String genre) {
      this.iceGenre = genre;
      return this;
    }

    /** {@code ice-description}. */
    public Builder iceDescription(String description) {
      this.iceDescription = description;
      return this;
    }

    /** {@code ice-url}. */
    public Builder iceUrl(String url) {
      this.iceUrl = url;
      return this;
    }

    /** {@code ice-public}. */
    public Builder icePublic(boolean pub) {
      this.icePublic = pub;
      return this;
    }

    /** Overrides the format's Content-Type (e.g. {@code audio/ogg}). */
    public Builder contentType(String type) {
      this.contentType = type;
      return this;
    }

    /** Stop by itself after this much audio ({@code -t}); default: until closed. */
    public Builder duration(Duration d) {
      this.duration = d;
      return this;
    }

    /** Where the stderr file goes; default a new {@link TestDirs} dir. */
    public Builder workDir(Path dir) {
      this.workDir = dir;
      return this;
    }

    /**
     * A stream tag, {@code -metadata key=value}: for Ogg it goes into the Vorbis comments or
     * OpusTags.
     */
    public Builder metadata(String key, String value) {
      metadata.add("-metadata");
      metadata.add(key + "=" + value);
      return this;
    }

    /** Launches ffmpeg. It connects asynchronously: await the mount on the server. */
    public FfmpegSource start() {
      Path ffmpeg = Tools.ffmpeg();
      Path dir = workDir != null ? workDir : TestDirs.create("ffmpeg-source");
      List<String> cmd = new ArrayList<>(List.of(ffmpeg.toString(), "-nostdin", "-hide_banner",
          "-nostats", "-loglevel", "info", "-re", "-f", "lavfi", "-i", tone(format.sampleRate)));
      if (duration != null) {
        cmd.addAll(List.of("-t", seconds(duration)));
      }
      cmd.addAll(List.of("-ar", Integer.toString(format.sampleRate), "-ac", "2"));
      cmd.addAll(format.encoderArgs);
      cmd.addAll(metadata);
      cmd.addAll(List.of("-content_type", contentType != null ? contentType : format.contentType));
      if (legacySource) {
        cmd.addAll(List.of("-legacy_icecast", "1"));
      }
      addOption(cmd, "-ice_name", iceName);
      addOption(cmd, "-ice_genre", iceGenre);
      addOption(cmd, "-ice_description", iceDescription);
      addOption(cmd, "-ice_url", iceUrl);
      if (icePublic != null) {
        cmd.addAll(List.of("-ice_public", icePublic ? "1" : "0"));
      }
      cmd.add(icecastUrl());
      Path stderrFile;
      try {
        Files.createDirectories(dir);
        stderrFile = Files.createTempFile(dir, "ffmpeg-source-", ".log");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create a log file in " + dir, e);
      }
      Process p = Procs.start(cmd, dir, stderrFile);
      return new FfmpegSource(p, stderrFile, List.copyOf(cmd));
    }

    private String icecastUrl() {
      URI u = URI.create(url);
      if ("icecast".equals(u.getScheme())) {
        return url;
      }
      if (!"http".equals(u.getScheme())) {
        throw new IllegalArgumentException("expected an http:// or icecast:// URL: " + url);
      }
      return "icecast://" + user + ":" + password + "@" + u.getHost() + ":" + u.getPort()
          + u.getRawPath();
    }

    private static void addOption(List<String> cmd, String option, String value) {
      if (value != null) {
        cmd.add(option);
        cmd.add(value);
      }
    }
  }

  /** Two different chords on the left and right channels: decodable, never silent. */
  static String tone(int sampleRate) {
    return "aevalsrc=exprs="
        + "0.25*sin(2*PI*440*t)+0.15*sin(2*PI*660*t)"
        + "|0.25*sin(2*PI*550*t)+0.10*sin(2*PI*880*t)"
        + ":s=" + sampleRate + ":c=stereo";
  }

  static String seconds(Duration d) {
    return String.format(java.util.Locale.ROOT, "%.3f", d.toMillis() / 1000.0);
  }
}
