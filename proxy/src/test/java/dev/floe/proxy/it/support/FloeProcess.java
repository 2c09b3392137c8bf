package dev.floe.proxy.it.support;

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real Floe process: {@code java -Xmx64m -XX:+UseSerialGC -cp <classes> dev.floe.proxy.Main
 * run --config <file>} on 127.0.0.1 and a port from {@link Ports#free()}, with a HOCON file
 * written into the work dir. stdout and stderr (Floe logs to stderr) are appended to
 * {@code floe.log} there, across restarts.
 *
 * <p>The classpath is the test JVM's own (Surefire lists every dependency and the module's
 * {@code target/classes} in it) minus the test-classes directories, so the child runs the code
 * just compiled, with the production {@code logback.xml}, without needing the shaded jar (which
 * Maven only builds after the tests).
 *
 * <pre>{@code
 * try (FloeProcess o = FloeProcess.relay(dir, "/live", List.of(ice.url("/live")), "")) {
 *   o.awaitLive("/live", Duration.ofSeconds(15));
 *   o.kill();
 *   o.restart();
 * }
 * }</pre>
 */
public final class FloeProcess implements AutoCloseable {

  /** Upper bound for Floe to answer {@code /status-json.xsl} after it was started. */
  public static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);

  private static final Duration STOP_GRACE = Duration.ofSeconds(10);
  private static final String MAIN = "dev.floe.proxy.Main";
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2))
      .build();

  private final Path workDir;
  private final Path configFile;
  private final Path logFile;
  private volatile String floeHocon;
  private int port;
  private volatile Process process;
  private boolean demo;
  private List<String> jvmOptions = List.of();
  /** Arguments of {@code floe relay} instead of {@code run --config}, or null. */
  private List<String> relayArgs;

  private FloeProcess(Path workDir, String floeHocon) {
    this.workDir = workDir.toAbsolutePath();
    this.configFile = this.workDir.resolve("floe.conf");
    this.logFile = this.workDir.resolve("floe.log");
    this.floeHocon = floeHocon;
  }

  /**
   * Starts Floe from HOCON placed inside {@code floe { ... }} after the generated
   * {@code server { bind = "127.0.0.1", port = P }}; waits until it answers.
   */
  public static FloeProcess start(Path workDir, String floeHocon) {
    FloeProcess f = new FloeProcess(workDir, floeHocon);
    f.startFresh();
    return f;
  }

  /**
   * {@link #start(Path, String)} with extra JVM options before the main class, e.g. {@code
   * -Dio.netty.leakDetection.level=paranoid}; kept across {@link #restart()}.
   */
  public static FloeProcess start(Path workDir, String floeHocon, List<String> jvmOptions) {
    FloeProcess f = new FloeProcess(workDir, floeHocon);
    f.jvmOptions = List.copyOf(jvmOptions);
    f.startFresh();
    return f;
  }

  /**
   * Starts Floe with one mount relaying {@code upstreams} in priority order; {@code extraMount}
   * is HOCON added inside the mount object (e.g. {@code switch-timeout = 2s}).
   */
  public static FloeProcess relay(Path workDir, String mount, List<String> upstreams,
      String extraMount) {
    String list = upstreams.stream().map(u -> "\"" + u + "\"")
        .collect(Collectors.joining(", ", "[", "]"));
    return start(workDir, "mounts = [ { path = \"" + mount + "\", upstreams = " + list + "\n"
        + extraMount + "\n} ]");
  }

  /**
   * Starts {@code floe relay <args> --port P --bind 127.0.0.1}, as a user types it (no config
   * file); waits until it answers.
   */
  public static FloeProcess relayCommand(Path workDir, List<String> args) {
    FloeProcess f = new FloeProcess(workDir, "");
    f.relayArgs = List.copyOf(args);
    f.startFresh();
    return f;
  }

  /**
   * Starts {@code floe} with no arguments (the demo) on a free port passed in {@code FLOE_PORT};
   * waits until it answers. Its stdout (with the printed URL) is in {@link #log()}.
   */
  public static FloeProcess demo(Path workDir) {
    FloeProcess f = new FloeProcess(workDir, "");
    f.demo = true;
    f.startFresh();
    return f;
  }

  /** The port Floe listens on (127.0.0.1); unchanged by {@link #restart()}. */
  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:<port><mount>}. */
  public String url(String mount) {
    return "http://127.0.0.1:" + port + mount;
  }

  /** The work dir with {@code floe.conf} and {@code floe.log}. */
  public Path workDir() {
    return workDir;
  }

  /** The process id of the running process; fails when it is not running. */
  public long pid() {
    Process p = process;
    if (p == null) {
      throw new IllegalStateException("not running");
    }
    return p.pid();
  }

  /** Whether the process is running. */
  public boolean isAlive() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /** The exit status once the process has exited by itself; null while it runs. */
  public Integer exitCode() {
    Process p = process;
    return p == null || p.isAlive() ? null : p.exitValue();
  }

  /** Everything the process (and earlier runs of it) wrote to stdout and stderr. */
  public String log() {
    return Procs.read(logFile);
  }

  /** The last {@code maxChars} characters of {@link #log()}, for assertion messages. */
  public String logTail(int maxChars) {
    return Procs.tail(log(), maxChars);
  }

  /** The body of {@code /status-json.xsl}; fails unless it answers 200. */
  public String statusJson() {
    return body("/status-json.xsl");
  }

  /** An unlabelled sample of {@code /metrics}, e.g. {@code floe_buffer_reserved_bytes}. */
  public long metric(String name) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (-?\\d+)")
        .matcher(body("/metrics"));
    if (!m.find()) {
      throw new AssertionError(name + " not in /metrics of " + this);
    }
    return Long.parseLong(m.group(1));
  }

  /** The body of a GET of {@code path}; fails unless it answers 200. */
  private String body(String path) {
    try {
      HttpResponse<String> r = HTTP.send(request(path),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (r.statusCode() != 200) {
        throw new AssertionError(path + " on " + this + " answered " + r.statusCode());
      }
      return r.body();
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + path + " on " + this + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * A numeric key of the (first) source in {@code /status-json.xsl}, e.g.
   * {@code floe_upstream_index}; {@code null} when absent.
   */
  public Long statusNumber(String key) {
    return number(statusJson(), key);
  }

  /** A string key of the (first) source in {@code /status-json.xsl}; {@code null} when absent. */
  public String statusString(String key) {
    Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\":\"((?:[^\"\\\\]|\\\\.)*)\"")
        .matcher(statusJson());
    return m.find() ? m.group(1) : null;
  }

  /** The first {@code "key":<number>} in a JSON text, or {@code null}. */
  public static Long number(String json, String key) {
    Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\":(-?\\d+)").matcher(json);
    return m.find() ? Long.valueOf(m.group(1)) : null;
  }

  /** Waits (bounded) until the status shows {@code "floe_live":true}; fails with the log. */
  public void awaitLive(Duration timeout) {
    try {
      Awaitility.await(this + " live")
          .atMost(timeout)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(100))
          .ignoreExceptions()
          .until(() -> statusJson().contains("\"floe_live\":true"));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "\n--- floe log ---\n" + logTail(6000), e);
    }
  }

  /** Kills the process with SIGKILL: a crash, no shutdown hook runs. */
  public void kill() {
    Process p = process;
    process = null;
    if (p != null) {
      Procs.kill(p);
    }
  }

  /** Stops the process with SIGTERM (Floe's shutdown hook closes it), SIGKILL after 10 s. */
  public void stop() {
    Process p = process;
    process = null;
    Procs.stop(p, STOP_GRACE);
  }

  /**
   * Stops the process (if running) and starts it again on the same port with the same config;
   * waits until it answers. Retries the bind for a few seconds if the port is still held.
   */
  public void restart() {
    stop();
    AssertionError last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      try {
        launchAndAwait();
        return;
      } catch (PortTakenException e) {
        last = new AssertionError("Floe could not bind 127.0.0.1:" + port + " again\n"
            + logTail(4000), e);
        Awaitility.await("pause before rebinding").pollDelay(Duration.ofMillis(500))
            .atMost(Duration.ofSeconds(2)).until(() -> true);
      }
    }
    throw last;
  }

  /**
   * Rewrites the configuration (same port) and sends SIGHUP, as {@code systemctl reload floe}
   * does.
   */
  public void reload(String newFloeHocon) {
    floeHocon = newFloeHocon;
    writeConfig();
    Process p = process;
    if (p == null) {
      throw new IllegalStateException("not running");
    }
    try {
      Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start();
      if (!kill.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new AssertionError("kill -HUP " + p.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Stops the process if it is running. */
  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return "floe :" + port + " (" + workDir.getFileName() + ")";
  }

  private void startFresh() {
    try {
      Files.createDirectories(workDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + workDir, e);
    }
    for (int attempt = 1; ; attempt++) {
      port = Ports.free();
      writeConfig();
      try {
        launchAndAwait();
        return;
      } catch (PortTakenException e) {
        if (attempt >= 3) {
          throw new AssertionError("Floe could not bind a free port\n" + logTail(4000), e);
        }
      }
    }
  }

  private void writeConfig() {
    String text = "floe {\n  server { bind = \"127.0.0.1\", port = " + port + " }\n" + floeHocon
        + "\n}\n";
    try {
      Files.writeString(configFile, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + configFile, e);
    }
  }

  private void launchAndAwait() {
    int logStart = log().length();
    // SIGHUP at its default, as systemd starts Floe, even when the build runs under nohup (a JVM
    // keeps an ignored SIGHUP ignored, and the reload tests would wait in vain); env execs java,
    // so the pid stays the node's.
    List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=HUP", javaExecutable(),
        "-Xmx64m", "-XX:+UseSerialGC"));
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", childClasspath(), MAIN));
    if (relayArgs != null) {
      cmd.add("relay");
      cmd.addAll(relayArgs);
      cmd.addAll(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1"));
    } else if (!demo) {
      cmd.addAll(List.of("run", "--config", configFile.toString()));
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    pb.environment().put("FLOE_PORT", Integer.toString(port));
    String level = System.getProperty("floe.it.logLevel"); // e.g. DEBUG, for a failing run
    if (level != null) {
      pb.environment().put("FLOE_LOG_LEVEL", level);
    }
    Process p = Procs.start(pb);
    process = p;
    try {
      Awaitility.await(this + " answering /status-json.xsl")
          .atMost(STARTUP_TIMEOUT)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(50))
          .until(() -> {
            if (!p.isAlive()) {
              throw new IllegalStateException("floe exited with " + p.exitValue());
            }
            return statusCode("/status-json.xsl") == 200;
          });
    } catch (ConditionTimeoutException | IllegalStateException e) {
      Procs.stop(p, STOP_GRACE);
      process = null;
      String runLog = log().substring(Math.min(logStart, log().length()));
      if (runLog.contains("Address already in use")) {
        throw new PortTakenException();
      }
      throw new AssertionError("Floe did not start on 127.0.0.1:" + port + ": " + e.getMessage()
          + "\n--- " + configFile + " ---\n" + Procs.read(configFile)
          + "\n--- command ---\n" + String.join(" ", cmd)
          + "\n--- floe log ---\n" + Procs.tail(runLog, 6000), e);
    }
  }

  private int statusCode(String path) {
    try {
      return HTTP.send(request(path), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private HttpRequest request(String path) {
    return HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(5)).GET()
        .build();
  }

  private static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * The test JVM's classpath without test-classes directories and Surefire's own jars. Surefire
   * sets {@code java.class.path} (and {@code surefire.test.class.path}) to the real test
   * classpath in the forked JVM.
   */
  public static String childClasspath() {
    String cp = System.getProperty("surefire.test.class.path");
    if (cp == null || cp.isBlank()) {
      cp = System.getProperty("java.class.path");
    }
    List<String> kept = new ArrayList<>();
    for (String entry : cp.split(File.pathSeparator)) {
      if (entry.isBlank()) {
        continue;
      }
      String name = Path.of(entry).getFileName().toString();
      if (name.equals("test-classes") || name.startsWith("surefire")) {
        continue;
      }
      kept.add(entry);
    }
    if (kept.stream().noneMatch(e -> e.endsWith("classes") && Files.isRegularFile(
        Path.of(e, "dev", "floe", "proxy", "Main.class")))) {
      throw new AssertionError("dev.floe.proxy.Main is not on the test classpath: " + cp);
    }
    return String.join(File.pathSeparator, kept);
  }

  /** Thrown internally when the port was taken between probe and bind. */
  private static final class PortTakenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PortTakenException() {
      super("port taken", null, false, false);
    }
  }

  /** Awaits a condition for up to 30 s; on timeout fails with every node's status and log tail. */
  public static void awaitOn(List<FloeProcess> nodes, String what, Callable<Boolean> condition) {
    awaitOn(nodes, what, Duration.ofSeconds(30), condition);
  }

  /**
   * Awaits a condition for up to {@code atMost}, polling every 100 ms (an exception counts as not
   * yet); on timeout fails with every node's status and log tail.
   */
  public static void awaitOn(List<FloeProcess> nodes, String what, Duration atMost,
      Callable<Boolean> condition) {
    try {
      Awaitility.await(what).atMost(atMost).pollInterval(Duration.ofMillis(100))
          .ignoreExceptions().until(condition);
    } catch (ConditionTimeoutException ex) {
      StringBuilder s = new StringBuilder(ex.getMessage());
      for (FloeProcess n : nodes) {
        s.append("\n--- ").append(n).append(" status ---\n").append(safeStatus(n))
            .append("\n--- ").append(n).append(" log ---\n").append(n.logTail(5000));
      }
      throw new AssertionError(s.toString(), ex);
    }
  }

  private static String safeStatus(FloeProcess n) {
    try {
      return n.statusJson();
    } catch (RuntimeException | AssertionError ex) {
      return "<" + ex + ">";
    }
  }
}
