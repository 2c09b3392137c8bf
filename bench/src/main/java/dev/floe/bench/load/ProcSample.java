package dev.floe.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A reading of one process's CPU time and memory from Linux {@code /proc}.
 *
 * @param cpuTicks utime + stime in clock ticks, -1 when unreadable
 * @param vmHwmKb peak resident set size in KiB ({@code VmHWM}), -1 when unreadable
 * @param vmRssKb current resident set size in KiB ({@code VmRSS}), -1 when unreadable
 * @param threads thread count, -1 when unreadable
 */
record ProcSample(long cpuTicks, long vmHwmKb, long vmRssKb, long threads) {
  static final ProcSample NONE = new ProcSample(-1, -1, -1, -1);

  /** Reads {@code /proc/PID/stat} and {@code /proc/PID/status}; never throws. */
  static ProcSample read(long pid) {
    if (pid < 0) {
      return NONE;
    }
    long ticks = -1;
    long hwm = -1;
    long rss = -1;
    long threads = -1;
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII);
      // Fields after "(comm)": state is field 3, utime field 14, stime field 15.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
      ticks = Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3]);
    } catch (IOException | RuntimeException e) {
      // Process gone or unreadable: leave -1.
    }
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmHWM:")) {
          hwm = kb(line);
        } else if (line.startsWith("VmRSS:")) {
          rss = kb(line);
        } else if (line.startsWith("Threads:")) {
          threads = Long.parseLong(line.substring(8).trim());
        }
      }
    } catch (IOException | RuntimeException e) {
      // Leave -1.
    }
    return new ProcSample(ticks, hwm, rss, threads);
  }

  private static long kb(String line) {
    String v = line.substring(line.indexOf(':') + 1).trim();
    return Long.parseLong(v.split(" +")[0]);
  }
}
