package dev.floe.proxy.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The station web player and its browsers' tracker ({@code floe.server.web-player}, issue 18;
 * {@code docs/hls.md}). Validated by {@link WebPlayerParser}.
 *
 * @param enabled whether {@code /<mount>.html}, {@code /floe-player.js} and the players'
 *     reports ({@code POST /<mount>.hls/report}) are served; off, they answer 404
 * @param tracker whether the WebTorrent tracker of browser peers answers on {@code /announce};
 *     off, the players play over HTTP only
 * @param stun the STUN servers ({@code stun:host:port}) the page names for WebRTC; empty for
 *     none (browser peers then find each other on one network only)
 * @param reportInterval how often a player reports its counters
 * @param reportRate reports one address may send per second, on average
 * @param reportBurst reports one address may send at once
 * @param trackerMaxPeers browsers in one mount's swarm on the tracker; more are refused
 * @param trackerInterval how often the tracker asks browsers to announce again
 */
public record WebPlayerSettings(boolean enabled, boolean tracker, List<String> stun,
    Duration reportInterval, int reportRate, int reportBurst, int trackerMaxPeers,
    Duration trackerInterval) {

  /** The defaults of {@code reference.conf}. */
  public static final WebPlayerSettings DEFAULTS = new WebPlayerSettings(true, true,
      List.of("stun:stun.l.google.com:19302", "stun:global.stun.twilio.com:3478"),
      Duration.ofSeconds(20), 1, 30, 10_000, Duration.ofSeconds(120));

  public WebPlayerSettings {
    stun = List.copyOf(stun);
    Objects.requireNonNull(reportInterval, "reportInterval");
    Objects.requireNonNull(trackerInterval, "trackerInterval");
  }
}
