package dev.floe.proxy.status;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Renders {@code /metrics} in the Prometheus text exposition format (version 0.0.4): one family
 * per figure, one sample per mount labelled {@code mount}, plus process figures. Hand-written: the
 * format is a few lines of text, and a client library would add a dependency for nothing.
 */
public final class Metrics {
  /** Content type of the text format. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private Metrics() {}

  /** Process-wide figures sampled by the caller. */
  public record Process(double startSeconds, long connections, long heapUsedBytes, int threads) {}

  /** The whole exposition. */
  public static String render(Process p, List<MountStatus> mounts) {
    StringBuilder sb = new StringBuilder(2048 + 1024 * mounts.size());
    single(sb, "floe_start_time_seconds", "gauge", "When this Floe started (Unix time).",
        p.startSeconds());
    single(sb, "floe_connections", "gauge", "Open connections on the listening port.",
        p.connections());
    single(sb, "floe_heap_used_bytes", "gauge", "JVM heap in use.", p.heapUsedBytes());
    single(sb, "floe_threads", "gauge", "JVM threads.", p.threads());
    family(sb, mounts, "floe_mount_live", "gauge", "1 when the mount's upstream or source is"
        + " connected and data flows.", m -> m.live() ? 1 : 0);
    family(sb, mounts, "floe_listeners", "gauge", "Listeners connected to the mount.",
        MountStatus::listeners);
    family(sb, mounts, "floe_hls_listeners", "gauge", "HLS listeners of the mount: clients"
        + " that fetched its playlist or a segment in the last 30 s.", MountStatus::hlsListeners);
    List<MountStatus> hls = mounts.stream().filter(m -> m.hlsOffload() != null).toList();
    family(sb, hls, "floe_hls_http_bytes_total", "counter",
        "HLS segment body bytes served over HTTP (measured).", m -> m.hlsOffload().httpBytes());
    family(sb, hls, "floe_hls_peer_bytes_total", "counter", "HLS segment bytes web players"
        + " report they got from browser peers (claimed).", m -> m.hlsOffload().peerBytes());
    family(sb, hls, "floe_hls_reported_http_bytes_total", "counter", "HLS segment bytes web"
        + " players report they got over HTTP (claimed).",
        m -> m.hlsOffload().reportedHttpBytes());
    family(sb, hls, "floe_hls_offload", "gauge", "Reported peer bytes over those plus the"
        + " measured HTTP segment bytes.", m -> m.hlsOffload().offload());
    family(sb, hls, "floe_hls_rejected_segments_total", "counter", "Peer segments web players"
        + " report they rejected (SHA-256 mismatch).", m -> m.hlsOffload().rejectedSegments());
    family(sb, hls, "floe_hls_reports_total", "counter", "Web player reports accepted.",
        m -> m.hlsOffload().reports());
    family(sb, hls, "floe_hls_reports_refused_total", "counter", "Web player reports refused"
        + " (malformed, implausible, too large, too frequent).",
        m -> m.hlsOffload().refusedReports());
    family(sb, mounts, "floe_listener_peak", "gauge", "Most listeners at once.",
        MountStatus::listenerPeak);
    family(sb, mounts, "floe_bytes_in_total", "counter", "Audio bytes received.",
        MountStatus::bytesIn);
    family(sb, mounts, "floe_bytes_out_total", "counter", "Bytes sent to listeners.",
        MountStatus::bytesOut);
    family(sb, mounts, "floe_slow_listeners_dropped_total", "counter",
        "Listeners dropped for falling behind.", MountStatus::slowListenersDropped);
    family(sb, mounts, "floe_reconnects_total", "counter",
        "Reconnections to the same upstream.", MountStatus::reconnects);
    family(sb, mounts, "floe_buffer_bytes", "gauge", "Bytes held in the back buffer.",
        MountStatus::bufferBytes);
    family(sb, mounts, "floe_buffer_seconds", "gauge", "Seconds of audio in the back buffer.",
        MountStatus::bufferSeconds);
    List<MountStatus> resumable = mounts.stream().filter(m -> m.resume() != null).toList();
    family(sb, resumable, "floe_upstream_index", "gauge",
        "Priority index of the current upstream, -1 when none.", m -> m.resume().upstreamIndex());
    family(sb, resumable, "floe_switches_total", "counter", "Upstream changes while data flowed.",
        m -> m.resume().switches());
    family(sb, resumable, "floe_gaps_total", "counter", "Discontinuities in the stream.",
        m -> m.resume().gaps());
    family(sb, resumable, "floe_gap_bytes_total", "counter",
        "Bytes known or estimated to be missing across gaps.", m -> m.resume().gapBytes());
    List<MountStatus> swarm = mounts.stream().filter(m -> m.swarm() != null).toList();
    if (!swarm.isEmpty()) {
      family(sb, swarm, "floe_swarm_continuity", "gauge",
          "Swarm chunks played in time over chunks due.", m -> m.swarm().continuity());
      family(sb, swarm.stream().filter(m -> !Double.isNaN(m.swarm().recentContinuity())).toList(),
          "floe_swarm_continuity_60s", "gauge",
          "Swarm chunks played in time over chunks due, over about the last minute.",
          m -> m.swarm().recentContinuity());
      family(sb, swarm, "floe_swarm_partners", "gauge", "Swarm partners now.",
          m -> m.swarm().partners().size());
      family(sb, swarm, "floe_swarm_bytes_up_total", "counter",
          "Swarm payload bytes sent to partners.", m -> m.swarm().bytesUp());
      family(sb, swarm, "floe_swarm_bytes_down_total", "counter",
          "Swarm payload bytes received from partners.", m -> m.swarm().bytesDown());
      family(sb, swarm, "floe_swarm_wire_bytes_up_total", "counter",
          "Swarm bytes sent on the wire: payload, framing, signatures, maps, control.",
          m -> m.swarm().wireBytesUp());
      family(sb, swarm, "floe_swarm_wire_bytes_down_total", "counter",
          "Swarm bytes received on the wire.", m -> m.swarm().wireBytesDown());
      family(sb, swarm, "floe_swarm_origin_share", "gauge",
          "Share of received swarm payload that came from the origin.",
          m -> m.swarm().originShare());
      family(sb, swarm, "floe_swarm_lag_seconds", "gauge", "Swarm playout lag behind the origin.",
          m -> m.swarm().lagMs() / 1000.0);
      family(sb, swarm, "floe_swarm_control_overhead", "gauge",
          "Swarm non-payload bytes over payload bytes.", m -> m.swarm().controlOverhead());
      family(sb, swarm, "floe_swarm_fallback", "gauge",
          "1 while the mount pulls directly because the swarm falls short.",
          m -> m.swarm().fallback() ? 1 : 0);
      family(sb, swarm, "floe_swarm_errors_total", "counter",
          "Swarm records (chunks, titles, stream headers) that could not be published or played.",
          m -> m.swarm().errors());
    }
    return sb.toString();
  }

  private static void single(StringBuilder sb, String name, String type, String help,
      double value) {
    header(sb, name, type, help);
    sb.append(name).append(' ').append(number(value)).append('\n');
  }

  private static void family(StringBuilder sb, List<MountStatus> mounts, String name, String type,
      String help, ToDoubleFunction<MountStatus> value) {
    header(sb, name, type, help);
    for (MountStatus m : mounts) {
      sb.append(name).append("{mount=\"").append(Escape.prometheusLabel(m.mount()))
          .append("\"} ")
          .append(number(value.applyAsDouble(m))).append('\n');
    }
  }

  private static void header(StringBuilder sb, String name, String type, String help) {
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
    sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  static String number(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%.6g", v);
  }
}
