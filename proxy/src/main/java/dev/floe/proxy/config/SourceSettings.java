package dev.floe.proxy.config;

import java.util.Objects;

/**
 * How sources (encoders) connect: the source keys of {@code floe.server}. Produced and validated
 * by {@link ConfigLoader}; the constructor only checks for nulls.
 *
 * <p>Guaranteed by the loader: the password is not empty, {@code maxSources >= 1}, the SHOUTcast
 * port is 0 (off) or a port other than the main one, and the SHOUTcast mount is a valid mount
 * path.
 *
 * @param password the source password of every mount without its own ({@code source} is the
 *     user name, as on Icecast)
 * @param maxSources most sources connected at once (Icecast {@code <sources>})
 * @param shoutcastPort port for SHOUTcast v1 sources (password line, {@code OK2}), 0 for none
 * @param shoutcastMount the mount a SHOUTcast v1 source feeds (Icecast {@code <shoutcast-mount>})
 * @param createMounts whether a source may connect to a mount that is not configured (a bare
 *     Icecast's behaviour); the mount then gets {@code floe.mount-defaults}
 */
public record SourceSettings(
    String password,
    int maxSources,
    int shoutcastPort,
    String shoutcastMount,
    boolean createMounts) {

  /** Checks for nulls. */
  public SourceSettings {
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(shoutcastMount, "shoutcastMount");
  }

  /** Hides the password from logs. */
  @Override
  public String toString() {
    return "SourceSettings[password=***, maxSources=" + maxSources + ", shoutcastPort="
        + shoutcastPort + ", shoutcastMount=" + shoutcastMount + ", createMounts=" + createMounts
        + "]";
  }
}
