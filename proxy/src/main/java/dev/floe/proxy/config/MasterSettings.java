package dev.floe.proxy.config;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * An Icecast master whose mounts this Floe relays, as an Icecast slave does ({@code floe.master}
 * in HOCON; Icecast's {@code <master-server>}, {@code <master-server-port>}, {@code
 * <master-username>}, {@code <master-password>}, {@code <master-update-interval>}). Every
 * {@code interval} Floe reads the master's {@code /admin/streamlist.txt} with these credentials
 * and relays each mount it lists that is not configured here, with the mount defaults; a mount
 * that leaves the list stops being relayed. Guaranteed by the loader: an {@code http}/{@code
 * https} URL with a host and no path, a user without {@code :}, a positive interval.
 *
 * @param url the master, e.g. {@code http://master.example.org:8000}
 * @param user the relay user (Icecast's default {@code relay})
 * @param password the relay password
 * @param interval how often the stream list is read
 */
public record MasterSettings(URI url, String user, String password, Duration interval) {

  /** Checks for nulls. */
  public MasterSettings {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(interval, "interval");
  }

  /** Where the stream list is. */
  public URI streamList() {
    return url.resolve("/admin/streamlist.txt");
  }

  /** Hides the password from logs. */
  @Override
  public String toString() {
    return "MasterSettings[url=" + url + ", user=" + user + ", interval=" + interval + "]";
  }
}
