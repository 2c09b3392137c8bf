package dev.floe.proxy.server;

import dev.floe.proxy.config.LimitSettings;
import io.netty.channel.Channel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the open connections of the port, in total ({@code max-clients}) and per remote
 * address ({@code limits.max-connections-per-ip}), and refuses one over either with {@code 403
 * Forbidden}, as icecast2 2.4 answers a client over its limit. A refused connection is counted
 * until it closes. Addresses in {@code limits.exempt} count only towards the total, and so do
 * trusted proxies: the client a proxy names is counted instead ({@link ClientResolver}).
 * Thread-safe; the per-address map holds only addresses with an open connection.
 */
final class ConnectionLimiter {
  private final int maxTotal;
  private final LimitSettings limits;
  private final RefusalLog refusals;
  private final AtomicInteger total = new AtomicInteger();
  private final ConcurrentMap<String, Integer> perIp = new ConcurrentHashMap<>();

  ConnectionLimiter(int maxTotal, LimitSettings limits, RefusalLog refusals) {
    this.maxTotal = maxTotal;
    this.limits = limits;
    this.refusals = refusals;
  }

  /**
   * Counts {@code ch} until it closes, and under its peer's address unless {@code byAddress} is
   * false (a trusted proxy: {@link #admitAddress} counts the client it names); false when it is
   * over a limit and was answered 403.
   */
  boolean admit(Channel ch, Responses responses, boolean byAddress) {
    int now = total.incrementAndGet();
    ch.closeFuture().addListener(f -> total.decrementAndGet());
    if (now > maxTotal) {
      refusals.warn("max-clients", ClientAddress.remote(ch) + ": refused, " + (now - 1)
          + " connections already (max-clients): 403");
      // icecast2 2.4's client_send_403, sent before reading the request.
      responses.send(ch, 403, "Forbidden", "text/plain; charset=utf-8",
          "Icecast connection limit reached".getBytes(StandardCharsets.UTF_8), false);
      return false;
    }
    return !byAddress || admitAddress(ch, ClientAddress.ip(ch), responses);
  }

  /**
   * Counts {@code ch} under {@code ip} until it closes; false when that is over the per-address
   * limit and it was answered 403.
   */
  boolean admitAddress(Channel ch, String ip, Responses responses) {
    if (limits.isExempt(ip)) {
      return true;
    }
    int fromIp = perIp.merge(ip, 1, Integer::sum);
    ch.closeFuture().addListener(f -> perIp.computeIfPresent(ip, (k, n) -> n > 1 ? n - 1 : null));
    if (fromIp > limits.maxConnectionsPerIp()) {
      refusals.warn("per-ip", ClientAddress.remote(ch) + ": refused, " + (fromIp - 1)
          + " connections already from " + ip + " (limits.max-connections-per-ip): 403");
      responses.error(ch, 403, "Forbidden", "Too many connections from your address");
      return false;
    }
    return true;
  }

  /** Open connections on the port, refused ones included until they close. */
  int connections() {
    return total.get();
  }
}
