package dev.floe.proxy.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One mount (an element of {@code floe.mounts}, with {@code floe.mount-defaults} filled
 * in). Produced and validated by {@link ConfigLoader}; the constructor only checks for nulls and
 * copies the list.
 *
 * <p>Guaranteed by the loader: {@code 0 <= burstBytes <= maxLagBytes <= bufferBytes}, {@code
 * reconnectMin <= reconnectMax}, every duration positive, all upstreams absolute {@code http}/{@code https}
 * URLs with a host. A mount without upstreams is fed by a source (an encoder).
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
 * @param reconnectMin shortest delay before trying the upstreams again after a round failed
 * @param reconnectMax longest delay between attempts, reached once an outage lasts
 * @param maxRedirects HTTP redirects followed when connecting to an upstream
 * @param connectTimeout limit for the TCP connect plus response head of an upstream
 * @param userAgent {@code User-Agent} sent to upstreams
 * @param switchTimeout with several upstreams, silence this long on the current one switches to
 *     the next (a failed connection switches at once)
 * @param probeInterval while on a lower-priority upstream, how often a higher one is tried again
 * @param listenerDelayBytes how far behind the live edge players are served (the burst comes on
 *     top of it); during an upstream switch they drain this much of the back buffer
 * @param password this mount's source password, or null for the server's {@code
 *     source-password}
 * @param fallbackMount where listeners go when the source leaves, or null
 * @param fallbackOverride whether listeners moved to the fallback come back when a source
 *     returns
 * @param sourceGrace without a live fallback, how long listeners wait for a source to return
 * @param maxListeners most listeners on this mount, 0 for no limit
 * @param hidden whether the mount is left out of public listings
 * @param playlist a folder or playlist file ({@code .m3u}, {@code .pls}, RSS 1.0) whose items
 *     feed the mount while no source is connected, or null (see {@code docs/playlists.md})
 * @param swarm the mount's peer swarm role ({@code swarm { }}), or null when it has none
 * @param extras source user, on-connect/on-disconnect commands and stream description
 *     ({@link MountExtras#NONE} when none is set)
 * @param reconnectFast longest delay between attempts while an outage is younger than {@code
 *     reconnectFastFor} (the schedule: {@code upstream.Backoff})
 * @param reconnectFastFor how long an outage is retried fast before backing off
 * @param startHold how long a new listener of a mount that expects audio but has none yet (a
 *     relay or swarm peer starting, a source connected but silent so far, a source mount with a
 *     fallback) is kept connected waiting for it before the mount answers as Icecast would
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
    long listenerDelayBytes,
    String password,
    String fallbackMount,
    boolean fallbackOverride,
    Duration sourceGrace,
    int maxListeners,
    boolean hidden,
    String playlist,
    SwarmSettings swarm,
    MountExtras extras,
    Duration reconnectFast,
    Duration reconnectFastFor,
    Duration startHold) {

  /** {@code reconnect-fast}'s default (capped at {@code reconnect-max}). */
  public static final Duration FAST = Duration.ofMillis(500);

  /** {@code reconnect-fast-for}'s default. */
  public static final Duration FAST_FOR = Duration.ofSeconds(10);

  /** Default of {@code start-hold}. */
  public static final Duration DEFAULT_START_HOLD = Duration.ofSeconds(10);

  /** Settings with the default {@code start-hold} (the form before it existed). */
  public MountSettings(String path, List<URI> upstreams, ListenerAuthSettings listenerAuth,
      int metaint, int burstBytes, long maxLagBytes, long bufferBytes, Duration bufferAge,
      Duration stallTimeout, Duration reconnectMin, Duration reconnectMax, int maxRedirects,
      Duration connectTimeout, String userAgent, Duration switchTimeout, Duration probeInterval,
      long listenerDelayBytes, String password, String fallbackMount, boolean fallbackOverride,
      Duration sourceGrace, int maxListeners, boolean hidden, String playlist,
      SwarmSettings swarm, MountExtras extras, Duration reconnectFast,
      Duration reconnectFastFor) {
    this(path, upstreams, listenerAuth, metaint, burstBytes, maxLagBytes, bufferBytes, bufferAge,
        stallTimeout, reconnectMin, reconnectMax, maxRedirects, connectTimeout, userAgent,
        switchTimeout, probeInterval, listenerDelayBytes, password, fallbackMount,
        fallbackOverride, sourceGrace, maxListeners, hidden, playlist, swarm, extras,
        reconnectFast, reconnectFastFor, DEFAULT_START_HOLD);
  }

  /** Settings with the default fast start (the form before {@code reconnect-fast} existed). */
  public MountSettings(String path, List<URI> upstreams, ListenerAuthSettings listenerAuth,
      int metaint, int burstBytes, long maxLagBytes, long bufferBytes, Duration bufferAge,
      Duration stallTimeout, Duration reconnectMin, Duration reconnectMax, int maxRedirects,
      Duration connectTimeout, String userAgent, Duration switchTimeout, Duration probeInterval,
      long listenerDelayBytes, String password, String fallbackMount, boolean fallbackOverride,
      Duration sourceGrace, int maxListeners, boolean hidden, String playlist,
      SwarmSettings swarm, MountExtras extras) {
    this(path, upstreams, listenerAuth, metaint, burstBytes, maxLagBytes, bufferBytes, bufferAge,
        stallTimeout, reconnectMin, reconnectMax, maxRedirects, connectTimeout, userAgent,
        switchTimeout, probeInterval, listenerDelayBytes, password, fallbackMount,
        fallbackOverride, sourceGrace, maxListeners, hidden, playlist, swarm, extras,
        reconnectMax.compareTo(FAST) < 0 ? reconnectMax : FAST, FAST_FOR);
  }

  /** Settings without {@link MountExtras} (the form before issue 15). */
  public MountSettings(String path, List<URI> upstreams, ListenerAuthSettings listenerAuth,
      int metaint, int burstBytes, long maxLagBytes, long bufferBytes, Duration bufferAge,
      Duration stallTimeout, Duration reconnectMin, Duration reconnectMax, int maxRedirects,
      Duration connectTimeout, String userAgent, Duration switchTimeout, Duration probeInterval,
      long listenerDelayBytes, String password, String fallbackMount, boolean fallbackOverride,
      Duration sourceGrace, int maxListeners, boolean hidden, String playlist,
      SwarmSettings swarm) {
    this(path, upstreams, listenerAuth, metaint, burstBytes, maxLagBytes, bufferBytes, bufferAge,
        stallTimeout, reconnectMin, reconnectMax, maxRedirects, connectTimeout, userAgent,
        switchTimeout, probeInterval, listenerDelayBytes, password, fallbackMount,
        fallbackOverride, sourceGrace, maxListeners, hidden, playlist, swarm, MountExtras.NONE);
  }

  /** Settings without a swarm (the form before {@code swarm} existed). */
  public MountSettings(String path, List<URI> upstreams, ListenerAuthSettings listenerAuth,
      int metaint, int burstBytes, long maxLagBytes, long bufferBytes, Duration bufferAge,
      Duration stallTimeout, Duration reconnectMin, Duration reconnectMax, int maxRedirects,
      Duration connectTimeout, String userAgent, Duration switchTimeout, Duration probeInterval,
      long listenerDelayBytes, String password, String fallbackMount, boolean fallbackOverride,
      Duration sourceGrace, int maxListeners, boolean hidden, String playlist) {
    this(path, upstreams, listenerAuth, metaint, burstBytes, maxLagBytes, bufferBytes, bufferAge,
        stallTimeout, reconnectMin, reconnectMax, maxRedirects, connectTimeout, userAgent,
        switchTimeout, probeInterval, listenerDelayBytes, password, fallbackMount,
        fallbackOverride, sourceGrace, maxListeners, hidden, playlist, null);
  }

  /** Settings without a playlist (the form before {@code playlist} existed). */
  public MountSettings(String path, List<URI> upstreams, ListenerAuthSettings listenerAuth,
      int metaint, int burstBytes, long maxLagBytes, long bufferBytes, Duration bufferAge,
      Duration stallTimeout, Duration reconnectMin, Duration reconnectMax, int maxRedirects,
      Duration connectTimeout, String userAgent, Duration switchTimeout, Duration probeInterval,
      long listenerDelayBytes, String password, String fallbackMount, boolean fallbackOverride,
      Duration sourceGrace, int maxListeners, boolean hidden) {
    this(path, upstreams, listenerAuth, metaint, burstBytes, maxLagBytes, bufferBytes, bufferAge,
        stallTimeout, reconnectMin, reconnectMax, maxRedirects, connectTimeout, userAgent,
        switchTimeout, probeInterval, listenerDelayBytes, password, fallbackMount,
        fallbackOverride, sourceGrace, maxListeners, hidden, null, null);
  }

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
    Objects.requireNonNull(sourceGrace, "sourceGrace");
    extras = extras == null ? MountExtras.NONE : extras;
    Objects.requireNonNull(reconnectFast, "reconnectFast");
    Objects.requireNonNull(reconnectFastFor, "reconnectFastFor");
    Objects.requireNonNull(startHold, "startHold");
  }

  /**
   * These settings at another path, without upstreams, listener auth, password or fallback: a
   * mount a source creates.
   */
  public MountSettings forSourceAt(String newPath) {
    return new MountSettings(newPath, List.of(), null, metaint, burstBytes, maxLagBytes,
        bufferBytes,
        bufferAge, stallTimeout, reconnectMin, reconnectMax, maxRedirects, connectTimeout,
        userAgent, switchTimeout, probeInterval, listenerDelayBytes, null, null,
        fallbackOverride, sourceGrace, maxListeners, hidden, null, null, MountExtras.NONE,
        reconnectFast, reconnectFastFor, startHold);
  }

  /** These settings at another path relaying {@code upstream}: a mount of a master's list. */
  public MountSettings relayAt(String newPath, URI upstream) {
    return new MountSettings(newPath, List.of(upstream), null, metaint, burstBytes, maxLagBytes,
        bufferBytes, bufferAge, stallTimeout, reconnectMin, reconnectMax, maxRedirects,
        connectTimeout, userAgent, switchTimeout, probeInterval, listenerDelayBytes, null, null,
        fallbackOverride, sourceGrace, maxListeners, hidden, null, null, MountExtras.NONE,
        reconnectFast, reconnectFastFor, startHold);
  }

  /** Whether this mount is a peer of a swarm: its stream comes from partners, not upstreams. */
  public boolean swarmPeer() {
    return swarm != null && !swarm.origin();
  }

  /** These settings with a swarm block. */
  public MountSettings withSwarm(SwarmSettings s) {
    return new MountSettings(path, upstreams, listenerAuth, metaint, burstBytes, maxLagBytes,
        bufferBytes, bufferAge, stallTimeout, reconnectMin, reconnectMax, maxRedirects,
        connectTimeout, userAgent, switchTimeout, probeInterval, listenerDelayBytes, password,
        fallbackMount, fallbackOverride, sourceGrace, maxListeners, hidden, playlist, s,
        extras, reconnectFast, reconnectFastFor, startHold);
  }

  /** These settings with {@code e} as their {@link MountExtras}. */
  public MountSettings withExtras(MountExtras e) {
    return new MountSettings(path, upstreams, listenerAuth, metaint, burstBytes, maxLagBytes,
        bufferBytes, bufferAge, stallTimeout, reconnectMin, reconnectMax, maxRedirects,
        connectTimeout, userAgent, switchTimeout, probeInterval, listenerDelayBytes, password,
        fallbackMount, fallbackOverride, sourceGrace, maxListeners, hidden, playlist, swarm, e,
        reconnectFast, reconnectFastFor, startHold);
  }

  /** These settings with another {@code start-hold}. */
  public MountSettings withStartHold(Duration d) {
    return new MountSettings(path, upstreams, listenerAuth, metaint, burstBytes, maxLagBytes,
        bufferBytes, bufferAge, stallTimeout, reconnectMin, reconnectMax, maxRedirects,
        connectTimeout, userAgent, switchTimeout, probeInterval, listenerDelayBytes, password,
        fallbackMount, fallbackOverride, sourceGrace, maxListeners, hidden, playlist, swarm,
        extras, reconnectFast, reconnectFastFor, d);
  }

  /** Hides the password from logs. */
  @Override
  public String toString() {
    return "MountSettings[path=" + path + ", upstreams=" + upstreams + ", password="
        + (password == null ? "(server's)" : "***") + ", fallbackMount=" + fallbackMount
        + (swarm == null ? "" : ", swarm=" + swarm.role().word()) + "]";
  }
}
