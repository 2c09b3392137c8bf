package dev.floe.proxy.server;

import dev.floe.icy.head.HeadEncoder;
import dev.floe.icy.head.Headers;
import dev.floe.icy.head.RequestHead;
import dev.floe.icy.head.ResponseHead;
import dev.floe.proxy.admin.AdminResponse;
import dev.floe.proxy.admin.AdminService;
import dev.floe.proxy.admin.AuthBackoff;
import dev.floe.proxy.config.LimitSettings;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.time.Duration;

/**
 * Admin requests ({@code /admin/...}, {@code /admin.cgi}): the {@link AdminService} answers,
 * this class guards it. Credentials are always checked, so the right ones are answered at once
 * (never rate limited, never locked out); a request without valid credentials takes a token of
 * the address's request rate (429 when none is left), and a wrong password is counted in {@link
 * AuthBackoff}, whose lockout holds its 401. Credentials ({@code Authorization}, or {@code pass=}
 * of {@code /admin.cgi}) from an address with {@link AuthBackoff#MAX_HELD} answers held get 429
 * without being looked at.
 */
final class AdminEndpoint {
  private final AdminService admin;
  private final LimitSettings limits;
  private final TokenBuckets adminRate;
  private final AuthBackoff authBackoff;
  private final Responses responses;
  private final RefusalLog refusals;

  AdminEndpoint(AdminService admin, LimitSettings limits, TokenBuckets adminRate,
      AuthBackoff authBackoff, Responses responses, RefusalLog refusals) {
    this.admin = admin;
    this.limits = limits;
    this.adminRate = adminRate;
    this.authBackoff = authBackoff;
    this.responses = responses;
    this.refusals = refusals;
  }

  void handle(Channel ch, RequestHead req, boolean head) {
    String ip = ClientAddress.ip(ch);
    String remote = ClientAddress.remote(ch);
    String authorization = req.headers().get("Authorization");
    String query = req.query();
    boolean credentials = authorization != null || query.startsWith("pass=")
        || query.contains("&pass=");
    if (credentials && !authBackoff.mayCheck(ip)) {
      refusals.warn("auth-backoff", remote + ": admin request while " + AuthBackoff.MAX_HELD
          + " answers to wrong passwords from it are held: 429 unchecked");
      responses.tooManyRequests(ch, authBackoff.retryAfterNanos(ip),
          "Too many failed logins, try again later");
      return;
    }
    AdminResponse r = admin.handle(req.path(), query, authorization, remote);
    // A password guess: credentials that are no account's (another role's get 401 at once)
    boolean wrong = r.status() == 401 && !admin.knownAccount(authorization);
    long wait = (credentials && !wrong) || limits.isExempt(ip) ? 0 : adminRate.take(ip);
    if (wait > 0) {
      refusals.warn("admin-rate", remote + ": admin requests without valid credentials over"
          + " limits.admin-rate: 429");
      responses.tooManyRequests(ch, wait, "Too many admin requests");
      return;
    }
    Duration hold = credentials && wrong ? authBackoff.failure(ip) : Duration.ZERO;
    if (credentials && r.status() == 401 && hold.isZero()) {
      refusals.warn("admin-auth", remote + ": admin " + req.path() + ": "
          + (wrong ? "wrong user or password" : "credentials that do not allow it") + ": 401");
    } else if (!hold.isZero()) {
      refusals.warn("auth-failure", remote + ": wrong admin password; locked out, answer held"
          + " for " + hold.toMillis() + " ms");
    }
    authBackoff.hold(ch, ip, hold, () -> write(responses, ch, r, head));
  }

  /** Sends an admin-style response (also a listener-auth refusal) and closes. */
  static void write(Responses responses, Channel ch, AdminResponse r, boolean head) {
    Headers.Builder h = responses.baseHeaders()
        .add("Content-Type", r.contentType())
        .add("Content-Length", Integer.toString(r.body().length))
        .add("Cache-Control", "no-cache");
    for (String[] extra : r.headers()) {
      h.add(extra[0], extra[1]);
    }
    ch.write(Unpooled.wrappedBuffer(HeadEncoder.encode(
        new ResponseHead("HTTP/1.0", r.status(), r.reason(), h.build()))));
    if (!head && r.body().length > 0) {
      ch.write(Unpooled.wrappedBuffer(r.body()));
    }
    ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
  }
}
