package dev.floe.proxy.config;

import java.util.List;
import java.util.Objects;

/**
 * A complete, validated Floe configuration: the server settings and the mounts to relay.
 *
 * <p>Build it with {@link ConfigLoader}; the loader guarantees every range and cross-field rule
 * documented in {@code docs/configuration.md}. The constructor only checks for nulls and copies
 * the list. Mount paths are unique. The list may be empty.
 *
 * @param server settings of the listening server
 * @param mounts mounts in configuration order
 */
public record FloeConfig(ServerSettings server, List<MountSettings> mounts) {

  /** Checks for nulls and makes the mount list immutable. */
  public FloeConfig {
    Objects.requireNonNull(server, "server");
    mounts = List.copyOf(mounts);
  }
}
