package dev.floe.bench.load;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Command-line options of {@link LoadGen}.
 *
 * <p>Durations accept {@code 250ms}, {@code 30s}, {@code 2m}, or a bare number of seconds.
 */
public final class Options {
  /** Listener URL, {@code http://host:port/mount}. */
  String url = "http://127.0.0.1:8000/live";
  /** Listeners to open. */
  int listeners = 100;
  /** Connections opened per second during the ramp. */
  double ramp = 250;
  /** Length of the steady measurement window. */
  long durationNs = 30_000_000_000L;
  /** Wait between the end of the ramp and the start of the steady window. */
  long settleNs = 5_000_000_000L;
  /** Whether to send {@code Icy-MetaData: 1} and require interleaved metadata. */
  boolean metadata = true;
  /** Selector threads. */
  int threads = defaultThreads();
  /** Connect timeout, and time allowed from request to complete head. */
  long timeoutNs = 10_000_000_000L;
  /** A gap longer than this with no byte is a stall. */
  long stallNs = 1_000_000_000L;
  /** Audio bytes that define "first audio" timing. */
  int firstAudioBytes = 64 * 1024;
  /** Where to write the JSON line, or null. */
  Path json;
  /** Free-form label copied into the JSON (for example the server's name). */
  String label = "";
  /** Server process to sample in /proc, or -1. */
  long pid = -1;
  /** Clock ticks per second of /proc/PID/stat times. */
  int clkTck = 100;
  /**
   * When set, the generator writes {@code steady-end} here after the window, keeps its listeners
   * connected until {@code release} appears (at most {@link #holdMaxNs}), then disconnects.
   */
  Path signalDir;
  /** Upper bound of the hold after the window when {@link #signalDir} is set. */
  long holdMaxNs = 120_000_000_000L;
  /** Probe mode: one listener, succeed once {@link #probeBytes} of audio arrived. */
  boolean probe;
  /** Audio bytes a probe must receive. */
  int probeBytes = 16 * 1024;
  /**
   * The player each listener is modelled as: starts after this many audio bytes, then plays at
   * this many bytes per second (see {@link PlayerModel}).
   */
  PlayerModel playerModel = new PlayerModel(64 * 1024, 16_000);
  /**
   * HLS mode: each listener is an hls.js player on the live playlist at {@link #url} ({@link
   * HlsWorker}); its player model then starts with the first whole segment ({@code 1:16000})
   * unless {@code --player-model} says otherwise.
   */
  boolean hls;

  static int defaultThreads() {
    int cores = Runtime.getRuntime().availableProcessors();
    // Leave at least half of the machine to the server under test.
    return Math.max(1, cores / 2);
  }

  /**
   * Parses the command line.
   *
   * @throws IllegalArgumentException on unknown options or bad values
   */
  static Options parse(String[] args) {
    Options o = new Options();
    boolean modelSet = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--probe")) {
        o.probe = true;
        continue;
      }
      if (a.equals("--hls")) {
        o.hls = true;
        continue;
      }
      if (a.equals("-h") || a.equals("--help")) {
        throw new IllegalArgumentException("help");
      }
      String v;
      int eq = a.indexOf('=');
      if (eq > 0) {
        v = a.substring(eq + 1);
        a = a.substring(0, eq);
      } else {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("missing value for " + a);
        }
        v = args[++i];
      }
      switch (a) {
        case "--url":
          o.url = v;
          break;
        case "--listeners":
          o.listeners = Integer.parseInt(v);
          break;
        case "--ramp":
          o.ramp = Double.parseDouble(v);
          break;
        case "--duration":
          o.durationNs = duration(v);
          break;
        case "--settle":
          o.settleNs = duration(v);
          break;
        case "--metadata":
          o.metadata = bool(v);
          break;
        case "--threads":
          o.threads = Integer.parseInt(v);
          break;
        case "--timeout":
          o.timeoutNs = duration(v);
          break;
        case "--stall":
          o.stallNs = duration(v);
          break;
        case "--first-audio-bytes":
          o.firstAudioBytes = Integer.parseInt(v);
          break;
        case "--json":
          o.json = Path.of(v);
          break;
        case "--label":
          o.label = v;
          break;
        case "--pid":
          o.pid = Long.parseLong(v);
          break;
        case "--clk-tck":
          o.clkTck = Integer.parseInt(v);
          break;
        case "--signal-dir":
          o.signalDir = Path.of(v);
          break;
        case "--hold-max":
          o.holdMaxNs = duration(v);
          break;
        case "--probe-bytes":
          o.probeBytes = Integer.parseInt(v);
          break;
        case "--player-model":
          o.playerModel = PlayerModel.parse(v);
          modelSet = true;
          break;
        default:
          throw new IllegalArgumentException("unknown option " + a);
      }
    }
    if (o.listeners < 1 || o.ramp <= 0 || o.threads < 1 || o.clkTck < 1) {
      throw new IllegalArgumentException("listeners, ramp, threads and clk-tck must be positive");
    }
    int cores = Runtime.getRuntime().availableProcessors();
    if (o.threads > cores) {
      throw new IllegalArgumentException("at most one selector thread per core (" + cores + ")");
    }
    URI u = URI.create(o.url);
    if (!"http".equals(u.getScheme()) || u.getHost() == null) {
      throw new IllegalArgumentException("url must be http://host:port/mount");
    }
    if (o.hls) {
      if (o.probe) {
        throw new IllegalArgumentException("--probe reads an ICY stream, not HLS");
      }
      if (u.getPath() == null || !u.getPath().endsWith(".m3u8")) {
        throw new IllegalArgumentException("with --hls, url must be a playlist: .../mount.m3u8");
      }
      if (!modelSet) {
        o.playerModel = new PlayerModel(1, 16_000);
      }
    }
    return o;
  }

  static long duration(String v) {
    String s = v.trim().toLowerCase(Locale.ROOT);
    double mult = 1e9;
    if (s.endsWith("ms")) {
      mult = 1e6;
      s = s.substring(0, s.length() - 2);
    } else if (s.endsWith("s")) {
      s = s.substring(0, s.length() - 1);
    } else if (s.endsWith("m")) {
      mult = 60e9;
      s = s.substring(0, s.length() - 1);
    }
    double d = Double.parseDouble(s);
    if (d < 0) {
      throw new IllegalArgumentException("negative duration " + v);
    }
    return (long) (d * mult);
  }

  static boolean bool(String v) {
    switch (v.toLowerCase(Locale.ROOT)) {
      case "true":
      case "1":
      case "yes":
        return true;
      case "false":
      case "0":
      case "no":
        return false;
      default:
        throw new IllegalArgumentException("not a boolean: " + v);
    }
  }

  static String usage() {
    return String.join(
        "\n",
        "usage: java -cp floe-bench.jar dev.floe.bench.load.LoadGen [options]",
        "  --url http://127.0.0.1:8000/live   listener URL",
        "  --listeners N        listeners to open (100)",
        "  --ramp R             connections opened per second (250)",
        "  --settle 5s          wait after the ramp before the steady window",
        "  --duration 30s       steady window length",
        "  --metadata true      send Icy-MetaData: 1 and require icy-metaint",
        "  --threads T          selector threads, at most one per core (cores/2)",
        "  --timeout 10s        connect timeout and request-to-head timeout",
        "  --stall 1s           gap that counts as a stall",
        "  --json out.json      append one JSON line with the results",
        "  --label name         label copied into the JSON",
        "  --pid PID            sample this server's CPU and memory from /proc",
        "  --clk-tck 100        clock ticks per second (getconf CLK_TCK)",
        "  --signal-dir DIR     write DIR/steady-end after the window, hold until DIR/release",
        "  --hold-max 120s      upper bound of that hold (DIR/window-start marks the window)",
        "  --player-model 65536:16000  model player: starts after START bytes of audio, then",
        "                       plays BYTES_PER_SECOND; reports its underrun (audible silence)",
        "  --hls                each listener is an hls.js player on the live playlist at --url",
        "                       (http://host:port/mount.m3u8): starts 3 segments from the live",
        "                       edge, fetches segments in order, reloads every target duration;",
        "                       player model 1:16000 unless given (plays from the first segment)",
        "  --probe              one listener; exit 0 once --probe-bytes (16384) of audio arrived");
  }
}
