package dev.floe.proxy.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How a mount's listeners authenticate: Icecast's {@code <authentication type="url">} (a
 * mount's {@code listener-auth { add-url = "...", remove-url = "..." }}) or {@code
 * <authentication type="htpasswd">} ({@code listener-auth { htpasswd = "/path/file" }}).
 *
 * <p>URL: when a player connects, Floe POSTs {@code action=listener_add} with the listener's
 * details to {@code addUrl} and lets it in only when the answer carries {@code
 * icecast-auth-user: 1}; when it leaves, {@code action=listener_remove} goes to {@code
 * removeUrl}. Guaranteed by the loader: absolute {@code http}/{@code https} URLs with a host.
 *
 * <p>htpasswd: the player's HTTP Basic user and password must be a line of the file, in
 * Icecast's format ({@code user:<md5 hex of the password>}); {@code /admin/manageauth} adds,
 * deletes and lists its users. Exactly one of {@code addUrl} and {@code htpasswd} is set.
 *
 * @param addUrl where {@code listener_add} is posted, or {@code null} with htpasswd
 * @param removeUrl where {@code listener_remove} is posted, or {@code null} for nowhere
 * @param htpasswd the users file, or {@code null} with URL authentication; a relative path is
 *     relative to the working directory, as on Icecast
 */
public record ListenerAuthSettings(URI addUrl, URI removeUrl, Path htpasswd) {

  /** Checks that exactly one kind is set. */
  public ListenerAuthSettings {
    if ((addUrl == null) == (htpasswd == null)) {
      throw new IllegalArgumentException("exactly one of addUrl and htpasswd");
    }
  }

  /** URL authentication. */
  public ListenerAuthSettings(URI addUrl, URI removeUrl) {
    this(Objects.requireNonNull(addUrl, "addUrl"), removeUrl, null);
  }

  /** htpasswd authentication with the users in {@code file}. */
  public static ListenerAuthSettings htpasswd(Path file) {
    return new ListenerAuthSettings(null, null, Objects.requireNonNull(file, "file"));
  }
}
