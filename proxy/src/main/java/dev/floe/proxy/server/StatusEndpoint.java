package dev.floe.proxy.server;

import dev.floe.icy.head.RequestHead;
import dev.floe.proxy.config.ServerSettings;
import dev.floe.proxy.hls.HlsListeners;
import dev.floe.proxy.hls.HlsOffload;
import dev.floe.proxy.mount.Mount;
import dev.floe.proxy.mount.MountRegistry;
import dev.floe.proxy.status.Metrics;
import dev.floe.proxy.status.MountStatus;
import dev.floe.proxy.status.ServerInfo;
import dev.floe.proxy.status.StatusJson;
import dev.floe.proxy.status.StatusPage;
import io.netty.channel.Channel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * The public status views: {@code /server_version.xsl}, the status JSON, the Prometheus
 * {@code /metrics} and the status page. Hidden mounts and mounts not live yet are left out.
 */
final class StatusEndpoint {
  private final ServerSettings server;
  private final MountRegistry mounts;
  private final Responses responses;
  private final ListenUrl urls;
  private final Instant started;
  private final IntSupplier connections;
  private final TlsCertificate tls;
  private final HlsListeners hls;
  private final HlsOffload offload;

  StatusEndpoint(ServerSettings server, MountRegistry mounts, Responses responses, ListenUrl urls,
      Instant started, IntSupplier connections, TlsCertificate tls, HlsListeners hls,
      HlsOffload offload) {
    this.server = server;
    this.mounts = mounts;
    this.responses = responses;
    this.urls = urls;
    this.started = started;
    this.connections = connections;
    this.tls = tls;
    this.hls = hls;
    this.offload = offload;
  }

  /** Answers when {@code path} is a status view; false (nothing sent) otherwise. */
  boolean handle(Channel ch, RequestHead req, String path, boolean head) {
    switch (path) {
      case "/server_version.xsl" -> {
        byte[] body = StatusPage.serverVersion(serverInfo()).getBytes(StandardCharsets.UTF_8);
        responses.send(ch, 200, "OK", "text/html; charset=utf-8", body, head);
        return true;
      }
      case "/status-json.xsl", "/status-json.json" -> {
        byte[] body = StatusJson.renderBytes(serverInfo(), statuses(ch, req));
        responses.send(ch, 200, "OK", "application/json; charset=utf-8", body, head);
        return true;
      }
      case "/metrics" -> {
        Runtime rt = Runtime.getRuntime();
        Metrics.Process p = new Metrics.Process(started.getEpochSecond(), connections.getAsInt(),
            rt.totalMemory() - rt.freeMemory(), Thread.activeCount());
        byte[] body = (Metrics.render(p, statuses(ch, req)) + tlsMetrics()
            + mounts.budget().metrics())
            .getBytes(StandardCharsets.UTF_8);
        responses.send(ch, 200, "OK", Metrics.CONTENT_TYPE, body, head);
        return true;
      }
      case "/", "/index.html", "/status.xsl" -> {
        byte[] body = StatusPage.render(serverInfo(), statuses(ch, req))
            .getBytes(StandardCharsets.UTF_8);
        responses.send(ch, 200, "OK", "text/html; charset=utf-8", body, head);
        return true;
      }
      default -> {
        return false;
      }
    }
  }

  /** The expiry of the HTTPS certificate in use, in the Prometheus text format; or nothing. */
  private String tlsMetrics() {
    TlsCertificate t = tls;
    if (t == null) {
      return "";
    }
    return "# HELP floe_tls_certificate_not_after_seconds When the HTTPS certificate in use"
        + " expires (Unix time).\n# TYPE floe_tls_certificate_not_after_seconds gauge\n"
        + "floe_tls_certificate_not_after_seconds "
        + t.certificate().getNotAfter().toInstant().getEpochSecond() + "\n";
  }

  private ServerInfo serverInfo() {
    return new ServerInfo(server.admin(), server.hostname(), server.location(), server.serverId(),
        started);
  }

  private List<MountStatus> statuses(Channel ch, RequestHead req) {
    List<MountStatus> out = new ArrayList<>();
    for (Mount m : mounts.all()) {
      if (m.info() != null && !m.properties().hidden()) {
        out.add(MountStatusMapper.map(m, urls.of(ch, req, m), hls.count(m.path()),
            offload.status(m.path())));
      }
    }
    return out;
  }
}
