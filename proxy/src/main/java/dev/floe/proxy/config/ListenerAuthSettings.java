package dev.floe.proxy.config;

import java.net.URI;
import java.util.Objects;

/**
 * Listener authentication by URL, Icecast's {@code <authentication type="url">} for listeners
 * (a mount's {@code listener-auth { add-url = "...", remove-url = "..." }}).
 *
 * <p>When a player connects, Floe POSTs {@code action=listener_add} with the listener's details
 * to {@code addUrl} and lets it in only when the answer carries {@code icecast-auth-user: 1}; when
 * it leaves, {@code action=listener_remove} goes to {@code removeUrl}. Guaranteed by the loader:
 * absolute {@code http}/{@code https} URLs with a host.
 *
 * @param addUrl where {@code listener_add} is posted
 * @param removeUrl where {@code listener_remove} is posted, or {@code null} for nowhere
 */
public record ListenerAuthSettings(URI addUrl, URI removeUrl) {

  /** Checks {@code addUrl} for null. */
  public ListenerAuthSettings {
    Objects.requireNonNull(addUrl, "addUrl");
  }
}
