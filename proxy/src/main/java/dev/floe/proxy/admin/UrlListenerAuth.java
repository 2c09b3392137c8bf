package dev.floe.proxy.admin;

import dev.floe.proxy.config.ListenerAuthSettings;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Icecast's URL listener authentication ({@code doc/auth.html}): {@code listener_add} and
 * {@code listener_remove} posted as {@code application/x-www-form-urlencoded} with
 * {@link HttpClient}, asynchronously.
 *
 * <p>{@code listener_add} carries {@code action, server, port, client, mount, user, pass, ip,
 * agent}; {@code mount} includes the request's query string, {@code user}/{@code pass} come from
 * the listener's Basic credentials (empty when none). The listener is let in iff the answer
 * carries the header {@code icecast-auth-user: 1} (any status, as Icecast reads only headers).
 * Otherwise it gets 401 {@code You need to authenticate} with the Basic challenge, or, when the
 * answer carries {@code Icecast-Auth-Message}, 403 with that message (a leading {@code 403 } is
 * dropped). An unreachable URL, an error or no answer within {@link #TIMEOUT} refuses the
 * listener (401), as Icecast does. {@code listener_remove} carries the same fields plus
 * {@code duration} (seconds connected); its answer is ignored.
 *
 * <p>{@code client} is an id of this authenticator, the same in the add and remove of one
 * listener; it is not the {@code ID} that {@code listclients} shows. Not supported:
 * {@code icecast-auth-timelimit}, {@code headers}/{@code header_prefix}, {@code auth_header}.
 */
public final class UrlListenerAuth {
  private static final Logger log = LoggerFactory.getLogger(UrlListenerAuth.class);

  /** Longest wait for the auth server's answer. */
  public static final Duration TIMEOUT = Duration.ofSeconds(5);

  private static final AtomicLong CLIENT_IDS = new AtomicLong();

  /** The outcome of {@code listener_add}: accepted, or the status and message to refuse with. */
  public record Decision(boolean accepted, int status, String message) {
    static final Decision ACCEPT = new Decision(true, 200, "");
    static final Decision REFUSE = new Decision(false, 401, AdminResponse.UNAUTHORIZED_BODY);

    /** The refusal as a response ({@code 401} with the challenge, or {@code 403}). */
    public AdminResponse response() {
      if (status == 401) {
        return AdminResponse.unauthorized();
      }
      return new AdminResponse(status, "Forbidden", "text/plain; charset=utf-8",
          message.getBytes(StandardCharsets.UTF_8), java.util.List.of());
    }
  }

  /**
   * One listener's details.
   *
   * @param mount the mount with the request's query string
   * @param user the Basic user, or null
   * @param pass the Basic password, or null
   * @param ip the listener's address
   * @param agent its User-Agent, or null
   */
  public record Listener(String mount, String user, String pass, String ip, String agent) {}

  private final HttpClient http;
  private final String server;

  /**
   * @param server the host name sent as {@code server} (Floe's {@code hostname})
   */
  public UrlListenerAuth(String server) {
    this.server = Objects.requireNonNull(server, "server");
    this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /** A new id for {@code client}. */
  public static long nextClientId() {
    return CLIENT_IDS.incrementAndGet();
  }

  /** Posts {@code listener_add}; the future completes with the decision, never exceptionally. */
  public CompletableFuture<Decision> add(ListenerAuthSettings settings, int port, long client,
      Listener l) {
    Map<String, String> form = form("listener_add", port, client, l);
    return http.sendAsync(post(settings.addUrl(), form), HttpResponse.BodyHandlers.discarding())
        .handle((r, e) -> {
          if (e != null) {
            log.warn("{}: listener auth {} failed: {}: refusing {}", l.mount(), settings.addUrl(),
                e.toString(), l.ip());
            return Decision.REFUSE;
          }
          return decide(r.headers().firstValue("icecast-auth-user").orElse(null),
              r.headers().firstValue("icecast-auth-message").orElse(null));
        });
  }

  /** Posts {@code listener_remove} when a remove URL is set; the answer is ignored. */
  public void remove(ListenerAuthSettings settings, int port, long client, Listener l,
      long durationSeconds) {
    if (settings.removeUrl() == null) {
      return;
    }
    Map<String, String> form = form("listener_remove", port, client, l);
    form.put("duration", Long.toString(durationSeconds));
    http.sendAsync(post(settings.removeUrl(), form), HttpResponse.BodyHandlers.discarding())
        .whenComplete((r, e) -> {
          if (e != null) {
            log.warn("{}: listener_remove to {} failed: {}", l.mount(), settings.removeUrl(),
                e.toString());
          }
        });
  }

  /** The decision for an answer's {@code icecast-auth-user} and {@code Icecast-Auth-Message}. */
  static Decision decide(String authUser, String message) {
    if (authUser != null && authUser.trim().equals("1")) {
      return Decision.ACCEPT;
    }
    if (message != null && !message.isBlank()) {
      String m = message.trim();
      if (m.startsWith("403 ")) {
        m = m.substring(4).trim();
      }
      return new Decision(false, 403, m);
    }
    return Decision.REFUSE;
  }

  private Map<String, String> form(String action, int port, long client, Listener l) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("action", action);
    f.put("server", server);
    f.put("port", Integer.toString(port));
    f.put("client", Long.toString(client));
    f.put("mount", l.mount());
    f.put("user", l.user() == null ? "" : l.user());
    f.put("pass", l.pass() == null ? "" : l.pass());
    f.put("ip", l.ip());
    f.put("agent", l.agent() == null ? "" : l.agent());
    return f;
  }

  /** {@code a=1&b=2}, form-encoded (UTF-8, space as {@code +}). */
  static String encode(Map<String, String> form) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : form.entrySet()) {
      if (sb.length() > 0) {
        sb.append('&');
      }
      sb.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
    }
    return sb.toString();
  }

  private static HttpRequest post(URI url, Map<String, String> form) {
    return HttpRequest.newBuilder(url).timeout(TIMEOUT)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(encode(form))).build();
  }
}
