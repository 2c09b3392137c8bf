package dev.floe.proxy.config;

import dev.floe.swarm.node.PeerLimits;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Abuse limits of the listening server ({@code floe.server.limits} in HOCON), on top of the
 * older flat keys of {@code floe.server} ({@code max-clients}, the head limits, {@code
 * header-timeout}, {@code idle-timeout}). Produced and validated by {@link ConfigLoader}; the
 * constructor only checks for nulls and copies the set.
 *
 * <p>Every per-address limit skips the addresses in {@code exempt}; loopback is not exempt
 * unless listed (a reverse proxy on the same host would otherwise share one address's limits).
 *
 * @param maxConnectionsPerIp open connections from one address; one more gets {@code 403}
 * @param adminRate {@code /admin/} requests per second one address may sustain (token bucket)
 * @param adminBurst {@code /admin/} requests one address may make at once (bucket size)
 * @param authFailures wrong passwords (admin or source) from one address, each within
 *     {@code authWindow} of the previous, before the address is locked out
 * @param authWindow a failure longer than this after the previous one starts the count again
 * @param authBackoff first lockout; each further failure doubles it
 * @param authBackoffMax longest lockout
 * @param listenerWriteBuffer bytes queued to one connection above which Floe stops writing to
 *     it (Netty's high-water mark; the low mark is a quarter of it); a listener kept there
 *     falls behind and is dropped at its mount's {@code max-lag}
 * @param exempt IP addresses (normalised text, as {@link java.net.InetAddress#getHostAddress})
 *     that no per-address limit applies to
 * @param peer what each swarm peer connection may do ({@code peer-frame-bytes}, {@code
 *     peer-requests-per-second}, {@code peer-request-burst}, {@code peer-queue-bytes}); applies
 *     to every swarm node of this Floe
 * @param peerPartners partners one swarm node keeps at most ({@code peer-partners}); a peer over
 *     it is turned away
 */
public record LimitSettings(
    int maxConnectionsPerIp,
    int adminRate,
    int adminBurst,
    int authFailures,
    Duration authWindow,
    Duration authBackoff,
    Duration authBackoffMax,
    int listenerWriteBuffer,
    Set<String> exempt,
    PeerLimits peer,
    int peerPartners) {
  /** Default of {@code peer-partners}: the scheduler's partner maximum. */
  public static final int DEFAULT_PEER_PARTNERS = 16;

  /** Checks for nulls and copies {@code exempt}. */
  public LimitSettings {
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(authWindow, "authWindow");
    Objects.requireNonNull(authBackoff, "authBackoff");
    Objects.requireNonNull(authBackoffMax, "authBackoffMax");
    exempt = Set.copyOf(exempt);
  }

  /** The listener and admin limits with the default peer limits. */
  public LimitSettings(int maxConnectionsPerIp, int adminRate, int adminBurst, int authFailures,
      Duration authWindow, Duration authBackoff, Duration authBackoffMax, int listenerWriteBuffer,
      Set<String> exempt) {
    this(maxConnectionsPerIp, adminRate, adminBurst, authFailures, authWindow, authBackoff,
        authBackoffMax, listenerWriteBuffer, exempt, PeerLimits.DEFAULTS, DEFAULT_PEER_PARTNERS);
  }

  /** The built-in defaults ({@code reference.conf}). */
  public static LimitSettings defaults() {
    return new LimitSettings(256, 50, 200, 5, Duration.ofMinutes(1), Duration.ofSeconds(2),
        Duration.ofMinutes(5), 128 * 1024, Set.of());
  }

  /** Whether per-address limits skip {@code ip}. */
  public boolean isExempt(String ip) {
    return exempt.contains(ip);
  }
}
