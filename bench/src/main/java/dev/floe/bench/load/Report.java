package dev.floe.bench.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Aggregates the listeners' results into the summary and the JSON line. */
final class Report {
  private final StringBuilder json = new StringBuilder(2048);
  private final StringBuilder text = new StringBuilder(2048);

  /** Inputs that do not come from the listeners. */
  record Context(
      Options options,
      double windowSeconds,
      double genCpuSeconds,
      long maxOpenLagNs,
      ProcSample serverStart,
      ProcSample serverEnd,
      double serverWindowSeconds) {}

  Report(List<Listener.Result> results, Context c) {
    Options o = c.options();
    int opened = results.size();
    Map<Listener.Failure, Integer> failed = new EnumMap<>(Listener.Failure.class);
    Map<Listener.Failure, String> examples = new EnumMap<>(Listener.Failure.class);
    List<Long> connect = new ArrayList<>();
    List<Long> ttfb = new ArrayList<>();
    List<Long> first = new ArrayList<>();
    List<Double> rates = new ArrayList<>();
    int connectedAtEnd = 0;
    long stalls = 0;
    long stallNs = 0;
    int stalledListeners = 0;
    long bytes = 0;
    long metaBlocks = 0;
    long nonEmpty = 0;
    List<Long> gaps = new ArrayList<>();
    List<Long> gapStarts = new ArrayList<>();
    List<Long> underrun = new ArrayList<>();
    int underrunListeners = 0;
    long underrunEvents = 0;
    long underrunTotalNs = 0;
    long[] hls = new long[5]; // requests, playlists, segments, out of order, skips
    for (Listener.Result r : results) {
      if (r.hls() != null) {
        hls[0] += r.hls().requests();
        hls[1] += r.hls().playlists();
        hls[2] += r.hls().segments();
        hls[3] += r.hls().outOfOrder();
        hls[4] += r.hls().skips();
      }
      if (r.failure() != null) {
        failed.merge(r.failure(), 1, Integer::sum);
        examples.putIfAbsent(r.failure(), r.failureDetail());
      }
      if (r.connectedAtEnd()) {
        connectedAtEnd++;
      }
      if (r.connectNs() >= 0) {
        connect.add(r.connectNs());
      }
      if (r.ttfbNs() >= 0) {
        ttfb.add(r.ttfbNs());
      }
      if (r.firstAudioNs() >= 0) {
        first.add(r.firstAudioNs());
      }
      if (r.windowStartAudio() >= 0 && c.windowSeconds() > 0) {
        rates.add((r.windowEndAudio() - r.windowStartAudio()) * 8 / 1000.0 / c.windowSeconds());
      }
      stalls += r.stalls();
      stallNs += r.stallNs();
      if (r.stalls() > 0) {
        stalledListeners++;
      }
      bytes += r.bytes();
      metaBlocks += r.metadataBlocks();
      nonEmpty += r.nonEmptyMetadataBlocks();
      if (r.playing()) {
        gaps.add(Math.max(0, r.maxGapNs()));
        if (r.maxGapStartFromWindowNs() != Long.MIN_VALUE) {
          gapStarts.add(r.maxGapStartFromWindowNs());
        }
        underrun.add(r.underrunNs());
        underrunTotalNs += r.underrunNs();
        underrunEvents += r.underruns();
        if (r.underrunNs() > 0) {
          underrunListeners++;
        }
      }
    }
    int failedTotal = failed.values().stream().mapToInt(Integer::intValue).sum();
    // Open, not failed, but with no complete head yet when the window ended.
    int pending = opened - connectedAtEnd - failedTotal;
    long[] connectA = sorted(connect);
    long[] ttfbA = sorted(ttfb);
    long[] firstA = sorted(first);
    long[] gapA = sorted(gaps);
    long[] gapStartA = sorted(gapStarts);
    long[] underrunA = sorted(underrun);
    double[] rateA = rates.stream().mapToDouble(Double::doubleValue).sorted().toArray();

    double serverCpu = -1;
    double cpuUsPerSecPerListener = -1;
    if (c.serverStart().cpuTicks() >= 0 && c.serverEnd().cpuTicks() >= 0) {
      serverCpu = (c.serverEnd().cpuTicks() - c.serverStart().cpuTicks()) / (double) o.clkTck;
      if (connectedAtEnd > 0 && c.serverWindowSeconds() > 0) {
        cpuUsPerSecPerListener = serverCpu * 1e6 / c.serverWindowSeconds() / connectedAtEnd;
      }
    }
    double genCpuPct = c.windowSeconds() > 0 ? 100 * c.genCpuSeconds() / c.windowSeconds() : -1;
    boolean genSaturated = genCpuPct > 85.0 * o.threads;

    json.append('{');
    str("label", o.label).append(',');
    str("url", o.url).append(',');
    num("listeners", o.listeners).append(',');
    num("ramp_per_s", o.ramp).append(',');
    num("threads", o.threads).append(',');
    json.append("\"metadata\":").append(o.metadata).append(',');
    num("settle_s", o.settleNs / 1e9).append(',');
    num("window_s", c.windowSeconds()).append(',');
    num("opened", opened).append(',');
    num("connected_at_end", connectedAtEnd).append(',');
    num("failed", failedTotal).append(',');
    num("pending_at_end", pending).append(',');
    json.append("\"failed_by_reason\":{");
    String sep = "";
    for (Map.Entry<Listener.Failure, Integer> e : failed.entrySet()) {
      json.append(sep);
      num(name(e.getKey()), e.getValue());
      sep = ",";
    }
    json.append("},\"failure_examples\":{");
    sep = "";
    for (Map.Entry<Listener.Failure, String> e : examples.entrySet()) {
      json.append(sep);
      str(name(e.getKey()), e.getValue());
      sep = ",";
    }
    json.append("},");
    pct("connect_ms", connectA).append(',');
    pct("ttfb_ms", ttfbA).append(',');
    pct("first64k_ms", firstA).append(',');
    num("stalls", stalls).append(',');
    num("stalled_listeners", stalledListeners).append(',');
    num("stall_s", stallNs / 1e9).append(',');
    json.append("\"rate_kbps\":{");
    num("n", rateA.length).append(',');
    num("min", rateA.length == 0 ? -1 : rateA[0]).append(',');
    num("p1", pct(rateA, 1)).append(',');
    num("p50", pct(rateA, 50)).append("},");
    str("player_model", o.playerModel.spec()).append(',');
    num("players_started", gapA.length).append(',');
    pct("silence_ms", gapA).append(',');
    pct("silence_start_ms", gapStartA).append(',');
    pct("underrun_ms", underrunA).append(',');
    num("underrun_listeners", underrunListeners).append(',');
    num("underrun_events", underrunEvents).append(',');
    num("underrun_total_s", underrunTotalNs / 1e9).append(',');
    num("bytes", bytes).append(',');
    num("metadata_blocks", metaBlocks).append(',');
    num("metadata_updates", nonEmpty).append(',');
    if (o.hls) {
      json.append("\"hls\":{");
      num("requests", hls[0]).append(',');
      num("playlists", hls[1]).append(',');
      num("segments", hls[2]).append(',');
      num("out_of_order", hls[3]).append(',');
      num("skips", hls[4]).append("},");
    }
    num("gen_cpu_pct", genCpuPct).append(',');
    json.append("\"gen_saturated\":").append(genSaturated).append(',');
    num("max_open_lag_ms", c.maxOpenLagNs() / 1e6).append(',');
    json.append("\"server\":{");
    num("pid", o.pid).append(',');
    num("cpu_s", serverCpu).append(',');
    num("cpu_window_s", c.serverWindowSeconds()).append(',');
    num("cpu_us_per_s_per_listener", cpuUsPerSecPerListener).append(',');
    // The same cost per listener-minute, in CPU milliseconds.
    num("cpu_ms_per_listener_minute",
        cpuUsPerSecPerListener < 0 ? -1 : cpuUsPerSecPerListener * 60 / 1000).append(',');
    num("vmhwm_kb", c.serverEnd().vmHwmKb()).append(',');
    num("vmrss_kb", c.serverEnd().vmRssKb()).append(',');
    num("threads", c.serverEnd().threads()).append("}}");

    line("floe-loadgen %s %s", o.label.isEmpty() ? "" : "[" + o.label + "]", o.url);
    line("  listeners %d, ramp %.0f/s, window %.1f s, metadata %s, %d thread(s)",
        o.listeners, o.ramp, c.windowSeconds(), o.metadata, o.threads);
    line("  connected at end %d / %d, failed %d %s%s", connectedAtEnd, opened, failedTotal,
        failed.isEmpty() ? "" : failed.toString().toLowerCase(Locale.ROOT),
        pending == 0 ? "" : ", still waiting for a head " + pending);
    for (Map.Entry<Listener.Failure, String> e : examples.entrySet()) {
      line("    e.g. %s: %s", name(e.getKey()), e.getValue());
    }
    line("  %-12s %9s %9s %9s %9s %7s", "ms", "p50", "p90", "p99", "max", "n");
    pctLine("connect", connectA);
    pctLine("ttfb", ttfbA);
    pctLine("first 64KiB", firstA);
    pctLine("silence", gapA);
    pctLine("silence at", gapStartA);
    pctLine("underrun", underrunA);
    line("  player model %s: %d started, underrun on %d listener(s), %d time(s), %.1f s in total",
        o.playerModel.spec(), gapA.length, underrunListeners, underrunEvents,
        underrunTotalNs / 1e9);
    line("  stalls %d on %d listener(s), %.1f s in total", stalls, stalledListeners, stallNs / 1e9);
    line("  audio rate kbit/s over the window: min %.1f p1 %.1f p50 %.1f (n=%d)",
        rateA.length == 0 ? -1 : rateA[0], pct(rateA, 1), pct(rateA, 50), rateA.length);
    line("  metadata blocks %d (%d non-empty), bytes %d", metaBlocks, nonEmpty, bytes);
    if (o.hls) {
      line("  hls: %d requests, %d playlists, %d segments, %d out of order, %d skips"
          + " (stalls above are the player model's underruns)", hls[0], hls[1], hls[2], hls[3],
          hls[4]);
    }
    line("  generator CPU %.0f%% of one core over the window%s, max open lag %.0f ms",
        genCpuPct, genSaturated ? " (SATURATED: figures are suspect)" : "",
        c.maxOpenLagNs() / 1e6);
    if (o.pid >= 0) {
      line("  server pid %d: CPU %.2f s over %.1f s = %.1f us/s per listener; VmHWM %d KiB,"
              + " VmRSS %d KiB, %d threads",
          o.pid, serverCpu, c.serverWindowSeconds(), cpuUsPerSecPerListener,
          c.serverEnd().vmHwmKb(), c.serverEnd().vmRssKb(), c.serverEnd().threads());
    }
  }

  String json() {
    return json.toString();
  }

  String text() {
    return text.toString();
  }

  private static String name(Listener.Failure f) {
    return f.name().toLowerCase(Locale.ROOT);
  }

  private static long[] sorted(List<Long> v) {
    long[] a = v.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(a);
    return a;
  }

  /** Nearest-rank percentile of sorted nanoseconds, in ms; -1 when empty. */
  static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return -1;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
  }

  /** Nearest-rank percentile of sorted values; -1 when empty. */
  static double pct(double[] sorted, double p) {
    if (sorted.length == 0) {
      return -1;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private void pctLine(String what, long[] a) {
    line("  %-12s %9.1f %9.1f %9.1f %9.1f %7d", what, pct(a, 50), pct(a, 90), pct(a, 99),
        pct(a, 100), a.length);
  }

  private StringBuilder pct(String key, long[] a) {
    json.append('"').append(key).append("\":{");
    num("n", a.length).append(',');
    num("p50", pct(a, 50)).append(',');
    num("p90", pct(a, 90)).append(',');
    num("p99", pct(a, 99)).append(',');
    num("max", pct(a, 100)).append('}');
    return json;
  }

  private void line(String fmt, Object... args) {
    text.append(String.format(Locale.ROOT, fmt, args)).append('\n');
  }

  private StringBuilder num(String key, double v) {
    json.append('"').append(key).append("\":");
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      json.append("null");
    } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      json.append((long) v);
    } else {
      json.append(String.format(Locale.ROOT, "%.3f", v));
    }
    return json;
  }

  private StringBuilder str(String key, String v) {
    json.append('"').append(key).append("\":");
    if (v == null) {
      return json.append("null");
    }
    json.append('"');
    for (int i = 0; i < v.length(); i++) {
      char ch = v.charAt(i);
      if (ch == '"' || ch == '\\') {
        json.append('\\').append(ch);
      } else if (ch < 0x20) {
        json.append(String.format("\\u%04x", (int) ch));
      } else {
        json.append(ch);
      }
    }
    return json.append('"');
  }
}
