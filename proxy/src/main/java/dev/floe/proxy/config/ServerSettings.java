package dev.floe.proxy.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the listening server ({@code floe.server} in HOCON). Produced and validated by
 * {@link ConfigLoader}; the constructor only checks for nulls and copies the header map.
 *
 * @param bind address to listen on ({@code 0.0.0.0}: all IPv4 interfaces)
 * @param port TCP port, 0..65535; 0 means "any free port" (for tests)
 * @param hostname host name used in generated URLs (playlists, status pages)
 * @param location free text shown in status pages
 * @param admin admin contact shown in status pages
 * @param adminAuth credentials of the admin API ({@code admin-user}, {@code admin-password},
 *     {@code relay-user}, {@code relay-password})
 * @param serverId value of the {@code Server:} response header
 * @param maxClients maximum simultaneous client connections
 * @param maxLineBytes longest accepted request or header line, in bytes
 * @param maxHeaders maximum number of request headers
 * @param maxHeadBytes maximum size of a whole request head, in bytes; at least {@code maxLineBytes}
 * @param headerTimeout time a client has to send its complete request head
 * @param idleTimeout time a new connection has to send the first byte of its request; it is
 *     closed without an answer after that (the whole head is due within {@code headerTimeout})
 * @param responseHeaders extra headers added to every response, in name order (case-insensitive)
 * @param sources how sources connect: passwords, limits, the SHOUTcast v1 port
 * @param tls the HTTPS listener ({@code floe.server.tls}); port 0 when there is none
 * @param limits abuse limits ({@code floe.server.limits})
 * @param portMapping port mapping on the home router ({@code floe.server.port-mapping})
 * @param proxies reverse proxies trusted to name the client ({@code trusted-proxies}, {@code
 *     forwarded-header}, {@code proxy-protocol})
 * @param bufferMemory bytes every mount's back buffer shares ({@code buffer-memory}); 0 for
 *     {@code auto}, a share of the JVM's direct memory
 * @param webPlayer the station web player and its browsers' tracker ({@code web-player})
 */
public record ServerSettings(
    String bind,
    int port,
    String hostname,
    String location,
    String admin,
    AdminAuth adminAuth,
    String serverId,
    int maxClients,
    int maxLineBytes,
    int maxHeaders,
    int maxHeadBytes,
    Duration headerTimeout,
    Duration idleTimeout,
    Map<String, String> responseHeaders,
    SourceSettings sources,
    TlsSettings tls,
    LimitSettings limits,
    PortMappingSettings portMapping,
    ProxySettings proxies,
    long bufferMemory,
    WebPlayerSettings webPlayer) {

  /** Checks for nulls and makes the header map immutable, keeping its order. */
  public ServerSettings {
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(adminAuth, "adminAuth");
    Objects.requireNonNull(serverId, "serverId");
    Objects.requireNonNull(headerTimeout, "headerTimeout");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(sources, "sources");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(portMapping, "portMapping");
    Objects.requireNonNull(proxies, "proxies");
    Objects.requireNonNull(webPlayer, "webPlayer");
    responseHeaders = Collections.unmodifiableMap(new LinkedHashMap<>(responseHeaders));
  }

  /** The same settings with no trusted proxy and {@code buffer-memory = auto}. */
  public ServerSettings(String bind, int port, String hostname, String location, String admin,
      AdminAuth adminAuth, String serverId, int maxClients, int maxLineBytes, int maxHeaders,
      int maxHeadBytes, Duration headerTimeout, Duration idleTimeout,
      Map<String, String> responseHeaders, SourceSettings sources, TlsSettings tls,
      LimitSettings limits, PortMappingSettings portMapping) {
    this(bind, port, hostname, location, admin, adminAuth, serverId, maxClients, maxLineBytes,
        maxHeaders, maxHeadBytes, headerTimeout, idleTimeout, responseHeaders, sources, tls,
        limits, portMapping, ProxySettings.NONE, 0, WebPlayerSettings.DEFAULTS);
  }

  /** The same settings with the default {@link LimitSettings#defaults() limits}. */
  public ServerSettings(String bind, int port, String hostname, String location, String admin,
      AdminAuth adminAuth, String serverId, int maxClients, int maxLineBytes, int maxHeaders,
      int maxHeadBytes, Duration headerTimeout, Duration idleTimeout,
      Map<String, String> responseHeaders, SourceSettings sources, TlsSettings tls) {
    this(bind, port, hostname, location, admin, adminAuth, serverId, maxClients, maxLineBytes,
        maxHeaders, maxHeadBytes, headerTimeout, idleTimeout, responseHeaders, sources, tls,
        LimitSettings.defaults(), PortMappingSettings.OFF);
  }
}
