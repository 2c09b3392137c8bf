package dev.floe.proxy.config;

import java.util.Objects;

/**
 * Credentials of Icecast's admin interface ({@code floe.server} keys {@code admin-user},
 * {@code admin-password}, {@code relay-user}, {@code relay-password}).
 *
 * <p>The admin user may call every {@code /admin/} command. The relay user may only fetch
 * {@code /admin/streamlist.txt} (what an Icecast slave polls). As in Icecast 2.4, the relay
 * password has no default: while it is unset ({@code null}) the relay user is disabled and only
 * the admin credentials open {@code streamlist.txt}. Guaranteed by the loader: user names are
 * non-empty without {@code :} (HTTP Basic splits at the first colon), passwords non-empty,
 * neither has control characters.
 *
 * @param adminUser the admin user name (default {@code admin})
 * @param adminPassword the admin password (default {@code hackme}, as Icecast ships)
 * @param relayUser the relay user name (default {@code relay})
 * @param relayPassword the relay password, or {@code null} when the relay user is disabled
 */
public record AdminAuth(String adminUser, String adminPassword, String relayUser,
    String relayPassword) {

  /** Checks the required components for null. */
  public AdminAuth {
    Objects.requireNonNull(adminUser, "adminUser");
    Objects.requireNonNull(adminPassword, "adminPassword");
    Objects.requireNonNull(relayUser, "relayUser");
  }

  /** The defaults: {@code admin:hackme}, relay user {@code relay} disabled. */
  public static AdminAuth defaults() {
    return new AdminAuth("admin", "hackme", "relay", null);
  }

  /** Hides the passwords from logs. */
  @Override
  public String toString() {
    return "AdminAuth[adminUser=" + adminUser + ", relayUser=" + relayUser
        + (relayPassword == null ? ", relay disabled]" : "]");
  }
}
