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
 * @param mountDefaults {@code floe.mount-defaults} as settings (path {@code /}, no upstreams),
 *     the template of a mount a source creates
 * @param master the Icecast master whose mounts are relayed ({@code floe.master}), or null
 */
public record FloeConfig(ServerSettings server, List<MountSettings> mounts,
    MountSettings mountDefaults, MasterSettings master) {

  /** Checks for nulls and makes the mount list immutable. */
  public FloeConfig {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(mountDefaults, "mountDefaults");
    mounts = List.copyOf(mounts);
  }

  /** A configuration without a master. */
  public FloeConfig(ServerSettings server, List<MountSettings> mounts,
      MountSettings mountDefaults) {
    this(server, mounts, mountDefaults, null);
  }

  /** These settings with other mounts (the master's relays added, for example). */
  public FloeConfig withMounts(List<MountSettings> newMounts) {
    return new FloeConfig(server, newMounts, mountDefaults, master);
  }

  /** The settings of a mount a source creates at {@code path}: the mount defaults. */
  public MountSettings sourceMount(String path) {
    return mountDefaults.forSourceAt(path);
  }
}
