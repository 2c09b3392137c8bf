package dev.floe.proxy.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts and stops external processes for the fixtures. Every started process is registered
 * so that a JVM shutdown hook can kill leftovers when a test run is aborted.
 */
final class Procs {

  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      for (Process p : LIVE) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
    }, "floe-it-process-reaper"));
  }

  private Procs() {
  }

  /** Starts {@code command}, stdout and stderr both appended to {@code log}, stdin closed. */
  static Process start(List<String> command, Path workDir, Path log) {
    ProcessBuilder pb = new ProcessBuilder(command)
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return start(pb);
  }

  /** Starts a configured builder and registers the process for the shutdown hook. */
  static Process start(ProcessBuilder pb) {
    try {
      Process p = pb.start();
      LIVE.add(p);
      p.onExit().thenRun(() -> LIVE.remove(p));
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + pb.command(), e);
    }
  }

  /**
   * Stops a process tree: SIGTERM to the descendants and the process, waits up to
   * {@code grace}, then SIGKILL, and waits (bounded) for the exit.
   */
  static void stop(Process p, Duration grace) {
    if (p == null) {
      return;
    }
    List<ProcessHandle> children = p.descendants().toList();
    children.forEach(ProcessHandle::destroy);
    p.destroy();
    if (!waitFor(p, grace)) {
      kill(p);
    }
    for (ProcessHandle child : children) {
      try {
        child.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        child.destroyForcibly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        child.destroyForcibly();
      } catch (ExecutionException e) {
        // the handle future does not fail; nothing to do
      }
    }
  }

  /** SIGKILL to the process tree, then a bounded wait for the exit. */
  static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    if (!waitFor(p, Duration.ofSeconds(10))) {
      throw new IllegalStateException("process " + p.pid() + " survived SIGKILL for 10 s");
    }
  }

  /** Waits for the exit; {@code true} when the process has exited. */
  static boolean waitFor(Process p, Duration timeout) {
    try {
      return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !p.isAlive();
    }
  }

  /** The file's contents, or an empty string when it does not exist yet. */
  static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
    } catch (IOException e) {
      return "<cannot read " + file + ": " + e + ">";
    }
  }

  /** The last {@code maxChars} characters of {@code text}. */
  static String tail(String text, int maxChars) {
    return text.length() <= maxChars ? text : "..." + text.substring(text.length() - maxChars);
  }
}
