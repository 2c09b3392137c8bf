package dev.floe.proxy.status;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Renders Icecast 2.4's {@code /status-json.xsl} document.
 *
 * <p>Shape, key order and quirks follow Icecast 2.4 so that existing clients parse it unchanged:
 * <ul>
 *   <li>{@code source} is an object when there is exactly one mount, an array when there are
 *       several, and absent when there are none. Icecast 2.4 then leaves a trailing comma; this
 *       renderer emits valid JSON instead.</li>
 *   <li>Keys whose value is unknown ({@code null}) are omitted, as Icecast omits missing stats.</li>
 *   <li>Each source ends with {@code "dummy":null}, the artifact of Icecast's XSLT that clients
 *       have come to expect.</li>
 * </ul>
 * Floe's own counters follow Icecast's keys under {@code floe_}-prefixed names. Unlike Icecast's
 * XSLT, strings that look like numbers (a title of {@code 1999}) stay strings.
 */
public final class StatusJson {
  /** Content type to serve the document with. */
  public static final String CONTENT_TYPE = "application/json; charset=utf-8";

  private StatusJson() {}

  /**
   * Renders the document.
   *
   * @param server server-wide fields
   * @param mounts mounts in the order to list them
   * @return the JSON text, without a trailing newline
   */
  public static String render(ServerInfo server, List<MountStatus> mounts) {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(mounts, "mounts");
    StringBuilder sb = new StringBuilder(512 + 768 * mounts.size());
    sb.append("{\"icestats\":");
    Obj root = new Obj(sb);
    root.string("admin", server.admin());
    root.string("host", server.host());
    root.string("location", server.location());
    root.string("server_id", server.serverId());
    Instant start = server.serverStart();
    if (start != null) {
      root.string("server_start", HttpDates.icecast(start));
      root.string("server_start_iso8601", HttpDates.icecastIso8601(start));
    }
    if (mounts.size() == 1) {
      root.key("source");
      source(sb, mounts.get(0));
    } else if (mounts.size() > 1) {
      root.key("source");
      sb.append('[');
      for (int i = 0; i < mounts.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        source(sb, mounts.get(i));
      }
      sb.append(']');
    }
    root.close();
    sb.append('}');
    return sb.toString();
  }

  /** Renders the document as UTF-8 bytes, ready for a response body. */
  public static byte[] renderBytes(ServerInfo server, List<MountStatus> mounts) {
    return render(server, mounts).getBytes(StandardCharsets.UTF_8);
  }

  private static void source(StringBuilder sb, MountStatus m) {
    Objects.requireNonNull(m, "mount status");
    Obj o = new Obj(sb);
    o.string("audio_info", m.audioInfo());
    o.number("bitrate", m.bitrate());
    o.number("channels", m.channels());
    o.string("genre", m.genre());
    o.number("listener_peak", m.listenerPeak());
    o.number("listeners", m.listeners());
    o.string("listenurl", m.listenUrl());
    o.number("samplerate", m.samplerate());
    o.string("server_description", m.description());
    o.string("server_name", m.name());
    o.string("server_type", m.contentType());
    o.string("server_url", m.url());
    if (m.streamStart() != null) {
      o.string("stream_start", HttpDates.icecast(m.streamStart()));
      o.string("stream_start_iso8601", HttpDates.icecastIso8601(m.streamStart()));
    }
    o.string("title", m.title());
    o.string("floe_mount", m.mount());
    o.key("floe_live");
    sb.append(m.live());
    o.string("floe_upstream", m.upstream());
    o.number("floe_hls_listeners", m.hlsListeners());
    if (m.hlsOffload() != null) {
      hlsOffload(sb, o, m.hlsOffload());
    }
    o.number("floe_slow_listeners_dropped", m.slowListenersDropped());
    o.number("floe_bytes_in", m.bytesIn());
    o.number("floe_bytes_out", m.bytesOut());
    o.number("floe_reconnects", m.reconnects());
    o.number("floe_buffer_bytes", m.bufferBytes());
    String seconds = decimal(m.bufferSeconds());
    if (seconds != null) {
      o.key("floe_buffer_seconds");
      sb.append(seconds);
    }
    MountStatus.Resume r = m.resume();
    if (r != null) {
      o.string("floe_epoch", r.epoch());
      o.number("floe_position", r.position());
      o.number("floe_window_oldest", r.windowOldest());
      o.number("floe_upstream_index", r.upstreamIndex());
      o.number("floe_switches", r.switches());
      o.number("floe_gaps", r.gaps());
      o.number("floe_gap_bytes", r.gapBytes());
      if (r.nextAttempt() != null) {
        o.string("floe_next_attempt", r.nextAttempt().toString());
        o.string("floe_last_failure", r.lastFailure());
      }
    }
    if (m.swarm() != null) {
      o.key("floe_swarm");
      swarm(sb, m.swarm());
    }
    o.key("dummy");
    sb.append("null");
    o.close();
  }

  /**
   * The HLS upload budget: measured HTTP segment bytes beside the players' reported counts
   * (claims; {@code docs/hls.md}).
   */
  private static void hlsOffload(StringBuilder sb, Obj o, HlsOffloadStatus h) {
    o.number("floe_hls_http_bytes", h.httpBytes());
    o.number("floe_hls_peer_bytes", h.peerBytes());
    o.number("floe_hls_reported_http_bytes", h.reportedHttpBytes());
    decimal(o, "floe_hls_offload", h.offload());
    o.number("floe_hls_rejected_segments", h.rejectedSegments());
    o.number("floe_hls_reports", h.reports());
    o.number("floe_hls_reports_refused", h.refusedReports());
    o.key("floe_hls_offenders");
    sb.append('[');
    for (int i = 0; i < h.offenders().size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      Escape.json(sb, h.offenders().get(i));
    }
    sb.append(']');
  }

  /** The mount's swarm node: {@code floe_swarm}, an object beside Icecast's own fields. */
  private static void swarm(StringBuilder sb, SwarmStatus s) {
    Obj o = new Obj(sb);
    o.string("role", s.role());
    o.string("join", s.join());
    o.string("error", s.error());
    o.key("partners");
    sb.append('[');
    for (int i = 0; i < s.partners().size(); i++) {
      SwarmStatus.Partner p = s.partners().get(i);
      if (i > 0) {
        sb.append(',');
      }
      Obj po = new Obj(sb);
      po.string("address", p.address());
      po.string("node", p.node().isEmpty() ? null : p.node());
      po.number("bytes_up", p.bytesUp());
      po.number("bytes_down", p.bytesDown());
      po.number("rtt_ms", p.rttMs());
      po.close();
    }
    sb.append(']');
    decimal(o, "continuity", s.continuity());
    decimal(o, "continuity_60s", s.recentContinuity());
    decimal(o, "origin_share", s.originShare());
    o.number("lag_ms", s.lagMs());
    decimal(o, "control_overhead", s.controlOverhead());
    o.number("bytes_up", s.bytesUp());
    o.number("bytes_down", s.bytesDown());
    o.number("wire_bytes_up", s.wireBytesUp());
    o.number("wire_bytes_down", s.wireBytesDown());
    o.key("fallback");
    sb.append(s.fallback());
    if (s.trackerPeers() >= 0) {
      o.number("tracker_peers", s.trackerPeers());
    }
    o.number("errors", s.errors());
    o.string("last_error", s.lastError());
    o.close();
  }

  /** A ratio to 6 decimals (continuity is read against 0.999: milliseconds are too coarse). */
  private static void decimal(Obj o, String key, double value) {
    String d = Double.isFinite(value) ? new java.math.BigDecimal(value)
        .setScale(6, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString()
        : null;
    if (d != null) {
      o.key(key);
      o.sb.append(d);
    }
  }

  /**
   * Formats a double as a plain JSON number rounded to milliseconds, or returns null for NaN
   * and infinities, which JSON cannot carry.
   */
  static String decimal(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return null;
    }
    BigDecimal v = BigDecimal.valueOf(d).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros();
    if (v.signum() == 0) {
      return "0";
    }
    return v.toPlainString();
  }

  /** Writes one JSON object's members, handling commas and skipping null values. */
  private static final class Obj {
    private final StringBuilder sb;
    private boolean first = true;

    Obj(StringBuilder sb) {
      this.sb = sb;
      sb.append('{');
    }

    void key(String key) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      Escape.json(sb, key);
      sb.append(':');
    }

    void string(String key, String value) {
      if (value != null) {
        key(key);
        Escape.json(sb, value);
      }
    }

    void number(String key, Number value) {
      if (value != null) {
        key(key);
        sb.append(value);
      }
    }

    void close() {
      sb.append('}');
    }
  }
}
