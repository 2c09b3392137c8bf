package dev.floe.proxy.source;

import dev.floe.icy.head.Headers;
import dev.floe.icy.head.RequestHead;
import dev.floe.proxy.admin.AuthBackoff;
import dev.floe.proxy.admin.BasicAuth;
import dev.floe.proxy.admin.BasicAuth.Credentials;
import dev.floe.proxy.admin.SourceHeaders;
import dev.floe.proxy.config.MountExtras;
import dev.floe.proxy.config.MountSettings;
import dev.floe.proxy.config.ServerSettings;
import dev.floe.proxy.config.SourceSettings;
import dev.floe.proxy.mount.Mount;
import dev.floe.proxy.mount.MountRegistry;
import dev.floe.proxy.mount.StreamInfo;
import dev.floe.proxy.server.ClientAddress;
import dev.floe.proxy.server.Responses;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sources on the main port, as icecast2 2.4.4 takes them (each answer checked against it):
 * <ul>
 *   <li>{@code PUT /mount} (HTTP/1.1; {@code Expect: 100-continue} is answered first; a PUT
 *       without {@code Content-Type} gets {@code 403 No Content-type given}) and the legacy
 *       {@code SOURCE /mount} ({@code HTTP/1.0}, {@code HTTP/1.1}, {@code ICE/1.0}; without
 *       {@code Content-Type} it is taken as {@code audio/mpeg}).</li>
 *   <li>Basic auth: user {@code source} (or the mount's {@code source-user}, Icecast's
 *       {@code <username>}; any other user is refused, as on icecast2) and the
 *       mount's {@code password}, else the server's {@code source-password}; otherwise {@code
 *       401} with {@code WWW-Authenticate} and {@code Allow: GET, PUT, OPTIONS, SOURCE} (so
 *       libshout's unauthenticated challenge learns it may PUT).</li>
 *   <li>{@code 403 Mountpoint in use} when the mount has a source or is fed by upstreams,
 *       {@code 403 too many sources connected} past {@code max-sources}.</li>
 *   <li>libshout's probes: {@code OPTIONS *} gets 204 with {@code Allow} (as Icecast 2.5 without
 *       TLS; icecast2 2.4.4 closes without a word), {@code GET /admin/!POKE} gets {@code 400
 *       Unrecognised command}, as on icecast2.</li>
 * </ul>
 * On success the answer is {@code HTTP/1.0 200 OK} and a {@link SourceSession} reads the body;
 * the mount's {@code on-connect} program runs, and its {@code on-disconnect} program when the
 * connection ends ({@link MountCommands}). The mount's {@code stream-*} settings replace the
 * source's {@code icy-name}, {@code icy-description}, {@code icy-url} and {@code icy-genre}.
 * The source's {@code ice-*}/{@code icy-*} headers become the listeners' through {@link
 * SourceHeaders}. Every refusal is logged; none touches the mount's listeners. Wrong
 * credentials count towards the address's {@link AuthBackoff}, whose lockout holds their 401;
 * the right credentials are accepted at once whatever else the address sent.
 */
public final class SourceIngest {
  private static final Logger log = LoggerFactory.getLogger(SourceIngest.class);

  /** The only user name icecast2 accepts for a source (unless a mount sets another). */
  static final String USER = "source";

  private final SourceSettings settings;
  private final MountRegistry mounts;
  private final SourceReplies replies;
  private final Responses responses;
  private final AuthBackoff backoff;
  private final MountCommands commands = new MountCommands();

  /** Sources with their own {@link AuthBackoff} (the SHOUTcast port's). */
  public SourceIngest(ServerSettings server, MountRegistry mounts, Responses responses) {
    this(server, mounts, responses, new AuthBackoff(server.limits(), System::nanoTime));
  }

  /** Sources whose wrong passwords count in {@code backoff}, shared with the admin API. */
  public SourceIngest(ServerSettings server, MountRegistry mounts, Responses responses,
      AuthBackoff backoff) {
    this.settings = server.sources();
    this.mounts = mounts;
    this.replies = new SourceReplies(responses);
    this.responses = responses;
    this.backoff = backoff;
  }

  /** The wrong-password backoff of this port's sources. */
  AuthBackoff backoff() {
    return backoff;
  }

  /** Whether this request is for the source side: a source, or one of libshout's probes. */
  public static boolean accepts(RequestHead req) {
    String m = req.method();
    return m.equals("PUT") || m.equals("SOURCE")
        || (m.equals("OPTIONS") && req.target().equals("*"))
        || (m.equals("GET") && req.path().equals("/admin/!POKE"));
  }

  /**
   * Handles a request {@link #accepts} took, on the channel's event loop. {@code rest} holds the
   * bytes after the head (a source's first audio); this method owns it.
   */
  public void handle(Channel ch, RequestHead req, ByteBuf rest) {
    String method = req.method();
    if (method.equals("OPTIONS")) {
      rest.release();
      replies.options(ch);
      return;
    }
    if (method.equals("GET")) {
      rest.release();
      log.info("{}: GET {}: 400 Unrecognised command", remote(ch), req.path());
      replies.htmlError(ch, 400, "Bad Request", "Unrecognised command");
      return;
    }
    boolean accepted = false;
    try {
      accepted = source(ch, req, rest);
    } finally {
      if (!accepted) {
        rest.release();
      }
    }
  }

  /** Returns true when the source was accepted (and {@code rest} handed on). */
  private boolean source(Channel ch, RequestHead req, ByteBuf rest) {
    String path = req.path();
    String who = remote(ch);
    if (!validPath(path)) {
      log.warn("{}: source {} {}: invalid mountpoint, 403", who, req.method(), path);
      replies.forbidden(ch, "Invalid mountpoint");
      return false;
    }
    String ip = ip(ch);
    Optional<Credentials> creds = BasicAuth.parse(req.headers().get("Authorization"));
    if (creds.isPresent() && !backoff.mayCheck(ip)) {
      // debug only: a guesser would flood the log; the failures that locked it were logged
      log.debug("{}: source {} {}: {} wrong passwords from it held already: 429 unchecked", who,
          req.method(), path, AuthBackoff.MAX_HELD);
      responses.tooManyRequests(ch, backoff.retryAfterNanos(ip),
          "Too many failed logins, try again later");
      return false;
    }
    Mount existing = mounts.get(path);
    MountSettings configured = existing == null ? null : existing.settings();
    String password = passwordFor(configured);
    if (creds.isEmpty() || !creds.get().matches(userFor(configured), password)) {
      Duration hold = creds.isPresent() ? backoff.failure(ip) : Duration.ZERO;
      if (creds.isEmpty() && "0".equals(trim(req.headers().get("Content-Length")))) {
        log.info("{}: source challenge {} {} without credentials: 401", who, req.method(), path);
      } else {
        log.warn("{}: source {} {}: {}: 401{}", who, req.method(), path,
            creds.isEmpty() ? "no credentials" : "wrong user or password (user \""
                + creds.get().user() + "\")",
            hold.isZero() ? "" : " in " + hold.toMillis() + " ms (locked out)");
      }
      backoff.hold(ch, ip, hold, () -> replies.unauthorized(ch));
      return false;
    }
    String type = trim(req.headers().get("Content-Type"));
    if (type == null || type.isEmpty()) {
      if (req.method().equals("PUT")) {
        log.warn("{}: source PUT {} without Content-Type: 403", who, path);
        replies.forbidden(ch, "No Content-type given");
        return false;
      }
      log.info("{}: source SOURCE {} without Content-Type: assuming audio/mpeg (deprecated)",
          who, path);
      type = "audio/mpeg";
    }
    if (atSourceLimit(who, path)) {
      replies.forbidden(ch, "too many sources connected");
      return false;
    }
    Mount mount = claim(ch, path, who);
    if (mount == null) {
      return false;
    }
    if ("100-continue".equalsIgnoreCase(trim(req.headers().get("Expect")))) {
      ch.write(Unpooled.wrappedBuffer(SourceReplies.CONTINUE));
    }
    ch.writeAndFlush(Unpooled.wrappedBuffer(SourceReplies.OK));
    log.info("{}: source {} {} {} accepted ({}, user agent {})", who, req.method(), path,
        req.version(), type, req.headers().get("User-Agent"));
    startSession(ch, mount, who, streamInfo(type, req.headers()), rest);
    return true;
  }

  /**
   * Starts the session of a source that claimed {@code mount} (here or on the SHOUTcast port):
   * the mount's {@code stream-*} settings replace the source's, and its {@code on-connect}
   * program runs now and its {@code on-disconnect} program when the connection ends.
   */
  void startSession(Channel ch, Mount mount, String who, StreamInfo info, ByteBuf first) {
    MountExtras extras = mount.settings().extras();
    SourceSession.start(ch, mount, who, withOverrides(info, extras), first);
    String path = mount.path();
    commands.run("on-connect", extras.onConnect(), path);
    if (extras.onDisconnect() != null) {
      ch.closeFuture().addListener(f -> commands.run("on-disconnect", extras.onDisconnect(),
          path));
    }
  }

  /** The stream description with the mount's {@code stream-*} settings in place of the source's. */
  static StreamInfo withOverrides(StreamInfo info, MountExtras extras) {
    if (!extras.overridesStream()) {
      return info;
    }
    Map<String, String> replace = new java.util.LinkedHashMap<>();
    putIf(replace, "icy-name", extras.streamName());
    putIf(replace, "icy-description", extras.streamDescription());
    putIf(replace, "icy-url", extras.streamUrl());
    putIf(replace, "icy-genre", extras.streamGenre());
    Headers.Builder out = Headers.builder();
    for (Map.Entry<String, String> e : info.listenerHeaders().entries()) {
      if (!replace.containsKey(e.getKey().toLowerCase(Locale.ROOT))) {
        out.add(e.getKey(), e.getValue());
      }
    }
    replace.forEach(out::add);
    return new StreamInfo(info.contentType(), out.build());
  }

  private static void putIf(Map<String, String> map, String key, String value) {
    if (value != null) {
      map.put(key, value);
    }
  }

  /**
   * The mount for a source that passed auth, claimed for {@code ch}; null after answering 403.
   */
  private Mount claim(Channel ch, String path, String who) {
    Mount mount = sourceMount(path, who);
    if (mount == null) {
      replies.forbidden(ch, "Mountpoint not configured");
      return null;
    }
    if (!mount.source().claim(ch::close)) {
      logInUse(mount, who);
      replies.forbidden(ch, "Mountpoint in use");
      return null;
    }
    if (!mount.source().reserve()) {
      mount.source().unclaim();
      log.warn("{}: source for {} refused: no memory for its back buffer: 503", who, path);
      replies.unavailable(ch, "No memory for another mount");
      return null;
    }
    return mount;
  }

  /**
   * The mount a source that passed auth may feed at {@code path}: the configured one, or a new
   * one (with the mount defaults' run-time properties) when sources may create mounts; null,
   * logged, otherwise.
   */
  Mount sourceMount(String path, String who) {
    boolean existed = mounts.get(path) != null;
    Mount mount = mounts.forSource(path);
    if (mount == null) {
      log.warn("{}: source for {} refused: no such mount (sources-create-mounts is off): 403",
          who, path);
      return null;
    }
    if (!existed) {
      SourceMounts.applyProperties(mount);
    }
    return mount;
  }

  /** Logs why a source was refused a mount that is in use. */
  void logInUse(Mount mount, String who) {
    log.warn("{}: source for {} refused: {}: 403 Mountpoint in use", who, mount.path(),
        mount.settings().upstreams().isEmpty() ? "a source is connected"
            : "the mount is fed by upstreams");
  }

  /** Whether {@code max-sources} sources are connected (logged when so). */
  boolean atSourceLimit(String who, String path) {
    if (connectedSources() < settings.maxSources()) {
      return false;
    }
    log.warn("{}: source {} refused: maximum source limit reached ({})", who, path,
        settings.maxSources());
    return true;
  }

  /** The mount at {@code path}, or null. */
  Mount mount(String path) {
    return mounts.get(path);
  }

  /** The user name a source of a mount with these settings must give. */
  static String userFor(MountSettings mount) {
    return mount == null ? USER : mount.extras().sourceUser();
  }

  /** The password a source of a mount with these settings must give (null: not configured). */
  String passwordFor(MountSettings mount) {
    return mount != null && mount.password() != null ? mount.password() : settings.password();
  }

  private int connectedSources() {
    int n = 0;
    for (Mount m : mounts.all()) {
      if (m.hasSource()) {
        n++;
      }
    }
    return n;
  }

  /** What the source's headers tell listeners, mapped as icecast2 maps them. */
  static StreamInfo streamInfo(String contentType, Headers headers) {
    List<SourceHeaders.Header> in = new ArrayList<>();
    for (Map.Entry<String, String> e : headers.entries()) {
      in.add(new SourceHeaders.Header(e.getKey(), e.getValue()));
    }
    Headers.Builder out = Headers.builder();
    for (SourceHeaders.Header h : SourceHeaders.forListeners(in)) {
      out.add(h.name(), h.value());
    }
    return new StreamInfo(contentType, out.build());
  }

  /** A path a source may create a mount at. */
  static boolean validPath(String path) {
    String lower = path.toLowerCase(Locale.ROOT);
    return path.startsWith("/") && path.length() > 1 && path.length() <= 1024
        && !lower.equals("/admin") && !lower.startsWith("/admin/") && !lower.endsWith(".xsl")
        && !lower.endsWith(".m3u") && !lower.endsWith(".pls") && !lower.endsWith(".xspf")
        && path.chars().noneMatch(c -> c <= ' ' || c == '?' || c == '#' || c == 0x7F);
  }

  private static String trim(String s) {
    return s == null ? null : s.trim();
  }

  /** The client's IP address alone ({@link ClientAddress}: behind a trusted proxy, the real one). */
  static String ip(Channel ch) {
    return ClientAddress.ip(ch);
  }

  static String remote(Channel ch) {
    return ClientAddress.remote(ch);
  }
}
