package dev.floe.proxy.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One relayed mount (an element of {@code floe.mounts}, with {@code floe.mount-defaults} filled
 * in). Produced and validated by {@link ConfigLoader}; the constructor only checks for nulls and
 * copies the list.
 *
 * <p>Guaranteed by the loader: {@code 0 <= burstBytes <= maxLagBytes <= bufferBytes}, {@code
 * reconnectMin <= reconnectMax}, every duration positive, at least one upstream, all upstreams
 * absolute {@code http}/{@code https} URLs with a host.
 *
 * @param path mount path, starts with {@code /}, e.g. {@code /live}
 * @param upstreams upstream URLs in order of preference (the first is tried first)
 * @param listenerAuth listener authentication by URL ({@code listener-auth}), or {@code null}
 *     when listeners need none
 * @param metaint ICY metadata interval sent to listeners, in bytes of audio
 * @param burstBytes bytes sent at once to a newly connected listener
 * @param maxLagBytes how far a listener may fall behind live before it is dropped
 * @param bufferBytes bytes of the stream kept in memory (the back buffer)
 * @param bufferAge oldest data kept in the back buffer
 * @param stallTimeout an upstream that sends nothing for this long is abandoned
 * @param reconnectMin first delay before reconnecting to an upstream (doubles on each failure)
 * @param reconnectMax longest delay between reconnection attempts
 * @param maxRedirects HTTP redirects followed when connecting to an upstream
 * @param connectTimeout limit for the TCP connect plus response head of an upstream
 * @param userAgent {@code User-Agent} sent to upstreams
 * @param switchTimeout with several upstreams, silence this long on the current one switches to
 *     the next (a failed connection switches at once)
 * @param probeInterval while on a lower-priority upstream, how often a higher one is tried again
 * @param listenerDelayBytes how far behind the live edge players are served (the burst comes on
 *     top of it); during an upstream switch they drain this much of the back buffer
 */
public record MountSettings(
    String path,
    List<URI> upstreams,
    ListenerAuthSettings listenerAuth,
    int metaint,
    int burstBytes,
    long maxLagBytes,
    long bufferBytes,
    Duration bufferAge,
    Duration stallTimeout,
    Duration reconnectMin,
    Duration reconnectMax,
    int maxRedirects,
    Duration connectTimeout,
    String userAgent,
    Duration switchTimeout,
    Duration probeInterval,
    long listenerDelayBytes) {

  /** Checks for nulls and makes the upstream list immutable. */
  public MountSettings {
    Objects.requireNonNull(path, "path");
    upstreams = List.copyOf(upstreams);
    Objects.requireNonNull(bufferAge, "bufferAge");
    Objects.requireNonNull(stallTimeout, "stallTimeout");
    Objects.requireNonNull(reconnectMin, "reconnectMin");
    Objects.requireNonNull(reconnectMax, "reconnectMax");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(userAgent, "userAgent");
    Objects.requireNonNull(switchTimeout, "switchTimeout");
    Objects.requireNonNull(probeInterval, "probeInterval");
  }
}
