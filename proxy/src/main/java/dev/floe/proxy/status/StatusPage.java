package dev.floe.proxy.status;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Renders a small HTML5 status page for people: one section per mount with its state, listeners,
 * title, upstream, format, buffer and playlist links, readable on a phone. Every value is
 * HTML-escaped, since titles and names come from strangers. The page is complete without
 * JavaScript; a small inline script polls {@code /status-json.xsl} every 2 s to keep the listener
 * counts current and draw live charts (listeners, buffer seconds, kbit/s in) as SVG sparklines.
 */
public final class StatusPage {
  /** Content type to serve the page with. */
  public static final String CONTENT_TYPE = "text/html; charset=utf-8";

  private static final String CSS = "body{font-family:system-ui,sans-serif;margin:0 auto;"
      + "max-width:46rem;padding:1rem;line-height:1.4;color:#222;background:#fafafa}"
      + "h1{font-size:1.4rem}h2{font-size:1.15rem;margin:0 0 .5rem;word-break:break-all}"
      + "section{background:#fff;border:1px solid #ddd;border-radius:6px;padding:1rem;"
      + "margin:1rem 0}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;"
      + "margin:0}dt{color:#666}dd{margin:0;overflow-wrap:anywhere}"
      + ".live{color:#070;font-weight:bold}.waiting{color:#a60;font-weight:bold}"
      + ".error{color:#b00;font-weight:bold}"
      + "nav a{margin-right:1rem}footer{color:#666;font-size:.85rem}"
      + ".charts{display:flex;flex-wrap:wrap;gap:.5rem 1rem;margin-top:.75rem}"
      + "figure{margin:0}figcaption{color:#666;font-size:.8rem}"
      + "svg.spark{width:8rem;height:2rem;background:#f4f7fb;border-radius:3px}";

  /** Polls the status JSON and redraws: no libraries, no external requests. */
  private static final String SCRIPT = "(function(){var hist={};"
      + "function draw(svg,v){if(!v||v.length<2){return;}var max=Math.max.apply(null,v);"
      + "if(!(max>0)){max=1;}var pts=v.map(function(x,i){return (i*120/(v.length-1)).toFixed(1)"
      + "+','+(29-x/max*27).toFixed(1);}).join(' ');"
      + "svg.innerHTML='<polyline fill=\"none\" stroke=\"#369\" stroke-width=\"1.5\" "
      + "points=\"'+pts+'\"/>';}"
      + "function tick(){fetch('/status-json.xsl',{cache:'no-store'}).then(function(r){"
      + "return r.json();}).then(function(j){var s=j.icestats&&j.icestats.source;if(!s){return;}"
      + "if(!Array.isArray(s)){s=[s];}var now=Date.now();s.forEach(function(m){"
      + "var k=m.floe_mount;if(!k){return;}var h=hist[k]||(hist[k]={listeners:[],buffer:[],"
      + "kbps:[],last:null});h.listeners.push(m.listeners||0);"
      + "h.buffer.push(m.floe_buffer_seconds||0);if(h.last){var dt=(now-h.last.t)/1000;"
      + "h.kbps.push(dt>0?Math.max(0,((m.floe_bytes_in||0)-h.last.b)*8/1000/dt):0);}"
      + "h.last={t:now,b:m.floe_bytes_in||0};['listeners','buffer','kbps'].forEach(function(x){"
      + "while(h[x].length>60){h[x].shift();}});"
      + "document.querySelectorAll('section[data-mount]').forEach(function(sec){"
      + "if(sec.getAttribute('data-mount')!==k){return;}var c=sec.querySelector('.listeners');"
      + "if(c){c.textContent=m.listeners+' (peak '+m.listener_peak+')';}"
      + "var hl=sec.querySelector('.hls-listeners');if(hl){hl.textContent=m.floe_hls_listeners||0;}"
      + "sec.querySelectorAll('svg[data-key]').forEach(function(svg){"
      + "draw(svg,h[svg.getAttribute('data-key')]);});});});}).catch(function(){});}"
      + "tick();setInterval(tick,2000);})();";

  private static void chart(StringBuilder sb, String key, String caption) {
    sb.append("<figure><figcaption>").append(caption).append("</figcaption><svg class=\"spark\""
        + " data-key=\"").append(key).append("\" viewBox=\"0 0 120 30\""
        + " preserveAspectRatio=\"none\" role=\"img\" aria-label=\"").append(caption)
        .append("\"></svg></figure>");
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private StatusPage() {}

  /**
   * {@code /server_version.xsl}: the server's identity as icecast2's page of that name shows it
   * (location, admin, host, version, start).
   */
  public static String serverVersion(ServerInfo server) {
    StringBuilder sb = new StringBuilder(1024);
    sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>").append(Escape.html(server.serverId())).append(" version</title>\n")
        .append("</head>\n<body>\n<h1>Server information</h1>\n<dl>\n");
    row(sb, "Location", server.location());
    row(sb, "Admin", server.admin());
    row(sb, "Host", server.host());
    row(sb, "Version", server.serverId());
    row(sb, "Started", server.serverStart() == null ? null : server.serverStart().toString());
    return sb.append("</dl>\n<p><a href=\"/\">Status</a></p>\n</body>\n</html>\n")
        .toString();
  }

  /**
   * Renders the page.
   *
   * @param server server-wide fields
   * @param mounts mounts in the order to list them
   * @return a complete HTML5 document
   */
  public static String render(ServerInfo server, List<MountStatus> mounts) {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(mounts, "mounts");
    String serverId = server.serverId() == null ? "Floe" : server.serverId();
    StringBuilder sb = new StringBuilder(1024 + 1024 * mounts.size());
    sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    sb.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    sb.append("<title>").append(Escape.html(serverId)).append(" status</title>\n");
    sb.append("<style>").append(CSS).append("</style>\n</head>\n<body>\n<header>\n");
    sb.append("<h1>").append(Escape.html(serverId)).append("</h1>\n");
    StringBuilder meta = new StringBuilder();
    if (server.host() != null) {
      meta.append(Escape.html(server.host()));
    }
    if (server.location() != null) {
      separate(meta).append(Escape.html(server.location()));
    }
    if (server.serverStart() != null) {
      separate(meta).append("up since ").append(HttpDates.rfc1123(server.serverStart()));
    }
    if (meta.length() > 0) {
      sb.append("<p>").append(meta).append("</p>\n");
    }
    sb.append("</header>\n<main>\n");
    if (mounts.isEmpty()) {
      sb.append("<p>No mounts.</p>\n");
    }
    for (MountStatus m : mounts) {
      mount(sb, Objects.requireNonNull(m, "mount status"));
    }
    sb.append("</main>\n<script>").append(SCRIPT).append("</script>\n");
    if (server.admin() != null) {
      sb.append("<footer><p>Contact: ").append(Escape.html(server.admin()))
          .append("</p></footer>\n");
    }
    sb.append("</body>\n</html>\n");
    return sb.toString();
  }

  private static void mount(StringBuilder sb, MountStatus m) {
    String mount = Escape.html(m.mount());
    sb.append("<section data-mount=\"").append(mount).append("\">\n<h2>").append(mount)
        .append("</h2>\n<dl>\n");
    row(sb, "Name", m.name());
    sb.append("<dt>State</dt><dd>")
        .append(m.live() ? "<span class=\"live\">live</span>"
            : "<span class=\"waiting\">waiting</span>")
        .append("</dd>\n");
    sb.append("<dt>Listeners</dt><dd class=\"listeners\">").append(m.listeners())
        .append(" (peak ").append(m.listenerPeak()).append(")</dd>\n");
    sb.append("<dt>HLS listeners</dt><dd class=\"hls-listeners\">").append(m.hlsListeners())
        .append("</dd>\n");
    HlsOffloadStatus o = m.hlsOffload();
    if (o != null && (o.httpBytes() > 0 || o.reports() > 0)) {
      row(sb, "HLS offload", String.format(Locale.ROOT, "%.1f %% from browser peers (reported"
          + " %d B from peers, %d B served over HTTP; %d peer segments rejected)",
          o.offload() * 100, o.peerBytes(), o.httpBytes(), o.rejectedSegments()));
    }
    row(sb, "Title", m.title());
    row(sb, "Upstream", m.upstream());
    MountStatus.Resume r = m.resume();
    if (r != null) {
      row(sb, "Upstream priority", r.upstreamIndex() >= 0 ? Integer.toString(r.upstreamIndex())
          : m.live() && m.upstream() != null ? "a source" : "none connected");
      row(sb, "Position", r.epoch() + ":" + r.position() + " (resumable from " + r.windowOldest()
          + ")");
      row(sb, "Switches / gaps", r.switches() + " / " + r.gaps() + " (" + r.gapBytes()
          + " bytes missing)");
      if (r.nextAttempt() != null && !m.live()) {
        row(sb, "Next attempt", HttpDates.icecastIso8601(r.nextAttempt())
            + (r.lastFailure() == null ? "" : " (last: " + r.lastFailure() + ")"));
      }
    }
    String format = m.contentType();
    if (m.bitrate() != null) {
      format = (format == null ? "" : format + ", ") + m.bitrate() + " kbit/s";
    }
    row(sb, "Format", format);
    String seconds = StatusJson.decimal(m.bufferSeconds());
    row(sb, "Buffer", seconds == null ? null : seconds + " s");
    row(sb, "Slow listeners dropped", Long.toString(m.slowListenersDropped()));
    swarm(sb, m.swarm());
    String url = m.listenUrl();
    sb.append("<dt>Listen</dt><dd>");
    if (url.startsWith("http://") || url.startsWith("https://")) {
      // Only web URLs become links: never a javascript: or data: href.
      sb.append("<a href=\"").append(Escape.html(url)).append("\">").append(Escape.html(url))
          .append("</a>");
    } else {
      sb.append(Escape.html(url));
    }
    sb.append("</dd>\n</dl>\n");
    sb.append("<div class=\"charts\">");
    chart(sb, "listeners", "Listeners");
    chart(sb, "buffer", "Buffer (s)");
    chart(sb, "kbps", "In (kbit/s)");
    sb.append("</div>\n<nav>");
    String path = Escape.html(pathHref(m.mount()));
    for (String ext : new String[] {"m3u", "pls", "xspf"}) {
      sb.append("<a href=\"").append(path).append('.').append(ext).append("\">")
          .append(ext).append("</a>");
    }
    sb.append("</nav>\n</section>\n");
  }

  /** The swarm rows: role, peers, continuity and origin share, in plain words for a phone. */
  private static void swarm(StringBuilder sb, SwarmStatus s) {
    if (s == null) {
      return;
    }
    row(sb, "Swarm", s.role() + (s.fallback() ? " (pulling directly: the swarm falls short)"
        : ""));
    row(sb, "Swarm problem", s.error());
    if (s.errors() > 0) {
      sb.append("<dt>Swarm errors</dt><dd class=\"error\">").append(s.errors())
          .append(" record").append(s.errors() == 1 ? "" : "s").append(" failed; latest: ")
          .append(Escape.html(s.lastError())).append("</dd>\n");
    }
    row(sb, "Join address", s.join());
    StringBuilder peers = new StringBuilder().append(s.partners().size()).append(" partner")
        .append(s.partners().size() == 1 ? "" : "s");
    if (s.trackerPeers() >= 0) {
      peers.append(", ").append(s.trackerPeers()).append(" listed by the tracker");
    }
    row(sb, "Peers", peers.toString());
    row(sb, "Continuity", (Double.isNaN(s.recentContinuity()) ? ""
        : percent(s.recentContinuity()) + " of chunks in time over the last minute, ")
        + percent(s.continuity()) + " since start");
    if (!"origin".equals(s.role())) {
      row(sb, "From the origin", percent(s.originShare()) + " of what arrived");
      row(sb, "Lag", StatusJson.decimal(s.lagMs() / 1000.0) + " s behind the origin (measured)");
    }
    row(sb, "Swarm traffic", (s.bytesUp() / 1024) + " KiB up, " + (s.bytesDown() / 1024)
        + " KiB down, overhead " + percent(s.controlOverhead()));
    if (!s.partners().isEmpty()) {
      sb.append("<dt>Partners</dt><dd><ul class=\"partners\">");
      for (SwarmStatus.Partner p : s.partners()) {
        sb.append("<li>").append(Escape.html(p.address()));
        if (!p.node().isEmpty()) {
          sb.append(" (node ").append(Escape.html(p.node().substring(0,
              Math.min(8, p.node().length())))).append(')');
        }
        sb.append(": ")
            .append(p.bytesUp() / 1024).append(" KiB up, ").append(p.bytesDown() / 1024)
            .append(" KiB down, ").append(p.rttMs()).append(" ms</li>");
      }
      sb.append("</ul></dd>\n");
    }
  }

  private static String percent(double share) {
    return Double.isNaN(share) ? "-" : String.format(java.util.Locale.ROOT, "%.2f%%", share * 100);
  }

  /**
   * The mount as an absolute URL path: a leading slash, and every byte outside RFC 3986's path
   * characters percent-encoded, so a {@code ?}, {@code #} or space in a mount name cannot change
   * what the link points at.
   */
  static String pathHref(String mount) {
    StringBuilder sb = new StringBuilder(mount.length() + 8);
    if (!mount.startsWith("/")) {
      sb.append('/');
    }
    for (byte b : mount.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || "-._~/!$&'()*+,;=:@".indexOf(c) >= 0;
      if (plain) {
        sb.append((char) c);
      } else {
        sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return sb.toString();
  }

  private static void row(StringBuilder sb, String label, String value) {
    if (value != null) {
      sb.append("<dt>").append(label).append("</dt><dd>").append(Escape.html(value))
          .append("</dd>\n");
    }
  }

  private static StringBuilder separate(StringBuilder sb) {
    return sb.length() > 0 ? sb.append(" · ") : sb;
  }
}
