package dev.floe.proxy.it.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Resource figures of a running JVM process: heap in use right after a full GC ({@code jcmd
 * <pid> GC.run}, then {@code GC.heap_info}), threads ({@code /proc/<pid>/status}) and open file
 * descriptors ({@code /proc/<pid>/fd}). Linux and the JDK's {@code jcmd} are required; a missing
 * one fails the test.
 *
 * @param heapAfterGcKib heap used after a full GC, KiB
 * @param threads the process's threads
 * @param fds its open file descriptors
 */
record ProcStats(long heapAfterGcKib, long threads, long fds) {
  private static final Pattern USED = Pattern.compile("used (\\d+)K");

  static ProcStats of(long pid) {
    jcmd(pid, "GC.run");
    String info = jcmd(pid, "GC.heap_info");
    // Serial GC: "def new generation total ..K, used ..K" and "tenured generation total ..K,
    // used ..K"; the "the space" lines below them repeat parts and are skipped.
    long heap = 0;
    for (String line : info.lines().toList()) {
      if (line.contains("generation")) {
        Matcher m = USED.matcher(line);
        if (m.find()) {
          heap += Long.parseLong(m.group(1));
        }
      }
    }
    if (heap == 0) {
      throw new AssertionError("no heap figures in jcmd " + pid + " GC.heap_info:\n" + info);
    }
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      long threads = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
          .filter(l -> l.startsWith("Threads:"))
          .mapToLong(l -> Long.parseLong(l.substring(8).trim()))
          .findFirst().orElseThrow();
      return new ProcStats(heap, threads, fds.count());
    } catch (IOException e) {
      throw new AssertionError("cannot read /proc/" + pid, e);
    }
  }

  /** The output of {@code jcmd <pid> <command>}; fails unless it succeeds. */
  static String jcmd(long pid, String command) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      Process p = new ProcessBuilder(List.of(jcmd.toString(), Long.toString(pid), command))
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new AssertionError(jcmd + " " + pid + " " + command + " failed:\n" + out);
      }
      return out;
    } catch (IOException e) {
      throw new AssertionError("cannot run " + jcmd + " (a JDK is required)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
