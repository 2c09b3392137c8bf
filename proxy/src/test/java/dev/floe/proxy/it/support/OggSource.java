package dev.floe.proxy.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;

/**
 * Real Ogg Vorbis sources from Debian's packages pushing into a server's mount: mpd with a
 * {@code shout} output (it re-encodes and starts a new chained stream at each tag change, with
 * its header packets paged together with audio) or ices2 (it sends Ogg Vorbis files as they
 * are). Each runs in its own work dir on 127.0.0.1 with its own config; {@link #close()} stops
 * it. Tracks are pink noise made by ffmpeg (it does not compress to nothing, so a stream grows
 * past a listener's burst in seconds) with {@code ARTIST} and {@code TITLE} comments.
 */
public final class OggSource implements AutoCloseable {
  private static final Duration START = Duration.ofSeconds(20);

  private final Path dir;
  private final Path log;
  private final Process process;

  private OggSource(Path dir, Path log, Process process) {
    this.dir = dir;
    this.log = log;
    this.process = process;
  }

  /** One track: {@code seconds} of pink noise with these comments. */
  public record Track(String artist, String title, int seconds) {}

  /** Makes {@code tracks} as Ogg Vorbis files in {@code dir} (track1.ogg, ...). */
  public static List<Path> makeTracks(Path dir, List<Track> tracks) {
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < tracks.size(); i++) {
      Track t = tracks.get(i);
      Path f = dir.resolve("track" + (i + 1) + ".ogg");
      run(dir, List.of(Tools.ffmpeg().toString(), "-nostdin", "-hide_banner", "-loglevel",
          "error", "-y", "-f", "lavfi", "-i", "anoisesrc=color=pink:amplitude=0.3:duration="
              + t.seconds() + ":sample_rate=44100", "-ac", "2", "-metadata", "ARTIST="
              + t.artist(), "-metadata", "TITLE=" + t.title(), "-c:a", "libvorbis", "-q:a", "2",
          f.toString()), Duration.ofSeconds(60));
      files.add(f);
    }
    return files;
  }

  /**
   * Starts mpd with a shout Vorbis output to {@code http://127.0.0.1:port mount} (user {@code
   * source}) and plays {@code files} in order, once.
   */
  public static OggSource mpd(Path dir, int port, String mount, String password,
      List<Path> files) {
    Path music = dir.resolve("music");
    int control = Ports.free();
    String conf = "music_directory \"" + music + "\"\n"
        + "db_file \"" + dir.resolve("mpd.db") + "\"\n"
        + "state_file \"" + dir.resolve("mpd.state") + "\"\n"
        + "pid_file \"" + dir.resolve("mpd.pid") + "\"\n"
        + "log_file \"" + dir.resolve("mpd.log") + "\"\n"
        + "bind_to_address \"127.0.0.1\"\nport \"" + control + "\"\n"
        + "zeroconf_enabled \"no\"\nauto_update \"no\"\n"
        + "audio_output {\n  type \"shout\"\n  encoder \"vorbis\"\n  name \"Floe mpd test\"\n"
        + "  host \"127.0.0.1\"\n  port \"" + port + "\"\n  mount \"" + mount + "\"\n"
        + "  user \"source\"\n  password \"" + password + "\"\n  quality \"2.0\"\n"
        + "  format \"44100:16:2\"\n  protocol \"icecast2\"\n}\n";
    try {
      Files.createDirectories(music);
      for (Path f : files) {
        Files.copy(f, music.resolve(f.getFileName()));
      }
      Files.writeString(dir.resolve("mpd.conf"), conf, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path log = dir.resolve("mpd.out");
    Process p = Procs.start(List.of(Tools.require("mpd", "mpd").toString(), "--no-daemon",
        "--stderr", dir.resolve("mpd.conf").toString()), dir, log);
    OggSource s = new OggSource(dir, log, p);
    try {
      String mpc = Tools.require("mpc", "mpc").toString();
      List<String> base = List.of(mpc, "--host", "127.0.0.1", "--port",
          Integer.toString(control));
      Awaitility.await("mpd answering on " + control).atMost(START)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> tryRun(dir, concat(base, "status")));
      run(dir, concat(base, "--wait", "update"), START);
      for (Path f : files) {
        run(dir, concat(base, "add", f.getFileName().toString()), START);
      }
      run(dir, concat(base, "play"), START);
    } catch (RuntimeException | AssertionError e) {
      s.close();
      throw new AssertionError("mpd did not start playing: " + e.getMessage() + "\n"
          + s.log(), e);
    }
    return s;
  }

  /**
   * Starts ices2 sending {@code files} (Ogg Vorbis, as they are) in a loop to {@code
   * http://127.0.0.1:port mount}.
   */
  public static OggSource ices2(Path dir, int port, String mount, String password,
      List<Path> files) {
    StringBuilder list = new StringBuilder();
    files.forEach(f -> list.append(f).append('\n'));
    String conf = "<?xml version=\"1.0\"?>\n<ices>\n  <background>0</background>\n"
        + "  <logpath>" + dir + "</logpath>\n  <logfile>ices.log</logfile>\n"
        + "  <logsize>2048</logsize>\n  <loglevel>4</loglevel>\n  <consolelog>1</consolelog>\n"
        + "  <stream>\n    <metadata><name>Floe ices2 test</name></metadata>\n"
        + "    <input>\n      <module>playlist</module>\n"
        + "      <param name=\"type\">basic</param>\n"
        + "      <param name=\"file\">" + dir.resolve("playlist.txt") + "</param>\n"
        + "      <param name=\"random\">0</param>\n      <param name=\"once\">0</param>\n"
        + "    </input>\n    <instance>\n      <hostname>127.0.0.1</hostname>\n"
        + "      <port>" + port + "</port>\n      <password>" + password + "</password>\n"
        + "      <mount>" + mount + "</mount>\n    </instance>\n  </stream>\n</ices>\n";
    try {
      Files.writeString(dir.resolve("playlist.txt"), list, StandardCharsets.UTF_8);
      Files.writeString(dir.resolve("ices.xml"), conf, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path log = dir.resolve("ices.out");
    Process p = Procs.start(List.of(Tools.require("ices2", "ices2").toString(),
        dir.resolve("ices.xml").toString()), dir, log);
    return new OggSource(dir, log, p);
  }

  /** Whether the program still runs. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** The program's output and log file. */
  public String log() {
    return Procs.read(log) + Procs.read(dir.resolve("mpd.log")) + Procs.read(
        dir.resolve("ices.log"));
  }

  @Override
  public void close() {
    Procs.stop(process, Duration.ofSeconds(5));
  }

  private static List<String> concat(List<String> base, String... more) {
    List<String> out = new ArrayList<>(base);
    out.addAll(List.of(more));
    return out;
  }

  private static boolean tryRun(Path dir, List<String> command) {
    Process p = Procs.start(command, dir, dir.resolve("commands.log"));
    return Procs.waitFor(p, Duration.ofSeconds(5)) && p.exitValue() == 0;
  }

  private static void run(Path dir, List<String> command, Duration timeout) {
    Path out = dir.resolve("commands.log");
    Process p = Procs.start(command, dir, out);
    if (!Procs.waitFor(p, timeout)) {
      Procs.kill(p);
      throw new AssertionError(command + " did not finish in " + timeout);
    }
    if (p.exitValue() != 0) {
      throw new AssertionError(command + " exited with " + p.exitValue() + "\n"
          + Procs.tail(Procs.read(out), 2000));
    }
  }
}
