package dev.floe.proxy.source;

import dev.floe.proxy.config.MountSettings;
import dev.floe.proxy.mount.Mount;
import java.util.Collection;

/** Sets a mount's run-time properties from its configuration. */
public final class SourceMounts {
  private SourceMounts() {}

  /**
   * Copies {@code fallback-mount}, {@code fallback-override}, {@code source-grace}, {@code
   * max-listeners} and {@code hidden} from the mount's settings into its run-time properties
   * (which the admin API may change later).
   */
  public static void applyProperties(Mount mount) {
    MountSettings s = mount.settings();
    mount.properties().fallback(s.fallbackMount());
    mount.properties().fallbackOverride(s.fallbackOverride());
    mount.properties().sourceGrace(s.sourceGrace());
    mount.properties().maxListeners(s.maxListeners());
    mount.properties().hidden(s.hidden());
  }

  /** {@link #applyProperties} for each mount. */
  public static void applyProperties(Collection<Mount> mounts) {
    mounts.forEach(SourceMounts::applyProperties);
  }
}
