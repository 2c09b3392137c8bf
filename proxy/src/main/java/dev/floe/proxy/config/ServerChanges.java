package dev.floe.proxy.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * What a reload does with each {@code floe.server} key: every key is either applied to new
 * connections (a new router and endpoints, see {@code FrontServer#reload}) or named as needing a
 * restart, never silently ignored. Pure: {@link #between} compares two settings, and {@code
 * ServerChangesTest} checks that every component of {@link ServerSettings} (and of its nested
 * records) has a row here, so a new key cannot be forgotten.
 */
public final class ServerChanges {

  /** One key: its name in the configuration, its record component path, how a reload treats it. */
  record Row(String key, String component, Function<ServerSettings, Object> value,
      boolean restart) {}

  static final List<Row> ROWS = List.of(
      restart("bind", "bind", ServerSettings::bind),
      restart("port", "port", ServerSettings::port),
      live("hostname", "hostname", ServerSettings::hostname),
      live("location", "location", ServerSettings::location),
      live("admin", "admin", ServerSettings::admin),
      live("admin-user", "adminAuth.adminUser", s -> s.adminAuth().adminUser()),
      live("admin-password", "adminAuth.adminPassword", s -> s.adminAuth().adminPassword()),
      live("relay-user", "adminAuth.relayUser", s -> s.adminAuth().relayUser()),
      live("relay-password", "adminAuth.relayPassword", s -> s.adminAuth().relayPassword()),
      live("server-id", "serverId", ServerSettings::serverId),
      restart("max-clients", "maxClients", ServerSettings::maxClients),
      live("max-line-bytes", "maxLineBytes", ServerSettings::maxLineBytes),
      live("max-headers", "maxHeaders", ServerSettings::maxHeaders),
      live("max-head-bytes", "maxHeadBytes", ServerSettings::maxHeadBytes),
      live("header-timeout", "headerTimeout", ServerSettings::headerTimeout),
      live("idle-timeout", "idleTimeout", ServerSettings::idleTimeout),
      live("response-headers", "responseHeaders", ServerSettings::responseHeaders),
      live("source-password", "sources.password", s -> s.sources().password()),
      live("max-sources", "sources.maxSources", s -> s.sources().maxSources()),
      restart("shoutcast-port", "sources.shoutcastPort", s -> s.sources().shoutcastPort()),
      live("shoutcast-mount", "sources.shoutcastMount", s -> s.sources().shoutcastMount()),
      restart("sources-create-mounts", "sources.createMounts", s -> s.sources().createMounts()),
      restart("tls.port", "tls.port", s -> s.tls().port()),
      restart("tls.bind", "tls.bind", s -> s.tls().bind()),
      // read again at every reload (FrontServer#reloadTls)
      live("tls.certificate", "tls.certificate", s -> s.tls().certificate()),
      live("tls.key", "tls.key", s -> s.tls().key()),
      restart("tls.proxy-protocol", "tls.proxyProtocol", s -> s.tls().proxyProtocol()),
      restart("limits.max-connections-per-ip", "limits.maxConnectionsPerIp",
          s -> s.limits().maxConnectionsPerIp()),
      live("limits.admin-rate", "limits.adminRate", s -> s.limits().adminRate()),
      live("limits.admin-burst", "limits.adminBurst", s -> s.limits().adminBurst()),
      live("limits.auth-failures", "limits.authFailures", s -> s.limits().authFailures()),
      live("limits.auth-window", "limits.authWindow", s -> s.limits().authWindow()),
      live("limits.auth-backoff", "limits.authBackoff", s -> s.limits().authBackoff()),
      live("limits.auth-backoff-max", "limits.authBackoffMax",
          s -> s.limits().authBackoffMax()),
      restart("limits.listener-write-buffer", "limits.listenerWriteBuffer",
          s -> s.limits().listenerWriteBuffer()),
      restart("limits.exempt", "limits.exempt", s -> s.limits().exempt()),
      restart("limits.peer-*", "limits.peer", s -> s.limits().peer()),
      restart("limits.peer-partners", "limits.peerPartners", s -> s.limits().peerPartners()),
      restart("port-mapping", "portMapping.natPmp", s -> s.portMapping().natPmp()),
      restart("port-mapping-gateway", "portMapping.gatewayHost",
          s -> s.portMapping().gatewayHost()),
      restart("port-mapping-gateway", "portMapping.gatewayPort",
          s -> s.portMapping().gatewayPort()),
      restart("trusted-proxies", "proxies.trusted", s -> s.proxies().trusted()),
      restart("forwarded-header", "proxies.forwardedHeader", s -> s.proxies().forwardedHeader()),
      restart("proxy-protocol", "proxies.proxyProtocol", s -> s.proxies().proxyProtocol()),
      restart("buffer-memory", "bufferMemory", ServerSettings::bufferMemory),
      live("web-player.enabled", "webPlayer.enabled", s -> s.webPlayer().enabled()),
      live("web-player.tracker", "webPlayer.tracker", s -> s.webPlayer().tracker()),
      live("web-player.stun", "webPlayer.stun", s -> s.webPlayer().stun()),
      live("web-player.report-interval", "webPlayer.reportInterval",
          s -> s.webPlayer().reportInterval()),
      restart("web-player.report-rate", "webPlayer.reportRate", s -> s.webPlayer().reportRate()),
      restart("web-player.report-burst", "webPlayer.reportBurst",
          s -> s.webPlayer().reportBurst()),
      restart("web-player.tracker-max-peers", "webPlayer.trackerMaxPeers",
          s -> s.webPlayer().trackerMaxPeers()),
      restart("web-player.tracker-interval", "webPlayer.trackerInterval",
          s -> s.webPlayer().trackerInterval()));

  private ServerChanges() {}

  private static Row live(String key, String component, Function<ServerSettings, Object> v) {
    return new Row("server." + key, component, v, false);
  }

  private static Row restart(String key, String component, Function<ServerSettings, Object> v) {
    return new Row("server." + key, component, v, true);
  }

  /**
   * The changes from {@code was} to {@code next}, one line per key in configuration order:
   * {@code "server.hostname applied"} or {@code "server.port needs a restart (kept 8000)"}.
   * Secrets are never printed. Empty when nothing in {@code floe.server} changed.
   */
  public static List<String> between(ServerSettings was, ServerSettings next) {
    List<String> applied = new ArrayList<>();
    List<String> restart = new ArrayList<>();
    for (Row r : ROWS) {
      Object a = r.value().apply(was);
      if (Objects.equals(a, r.value().apply(next))) {
        continue;
      }
      if (!r.restart()) {
        if (!applied.contains(r.key())) {
          applied.add(r.key());
        }
      } else if (restart.stream().noneMatch(l -> l.startsWith(r.key() + " "))) {
        restart.add(r.key() + " needs a restart (kept " + shown(r, a) + ")");
      }
    }
    List<String> out = new ArrayList<>();
    if (!applied.isEmpty()) {
      out.add(String.join(", ", applied) + " applied to new connections");
    }
    out.addAll(restart);
    return out;
  }

  /**
   * The line for a changed {@code server.hostname} when mounts have a swarm: their origins put
   * it in the join address they give out when they start.
   */
  public static String swarmHostname(String kept) {
    return "server.hostname in swarm join addresses needs a restart (kept " + kept + ")";
  }

  /** Whether {@code line} of {@link #between} names a key that needs a restart. */
  public static boolean needsRestart(String line) {
    return line.contains(" needs a restart");
  }

  private static String shown(Row r, Object value) {
    return r.key().contains("password") ? "***" : String.valueOf(value);
  }
}
