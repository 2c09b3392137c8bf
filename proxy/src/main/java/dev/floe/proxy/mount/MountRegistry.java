package dev.floe.proxy.mount;

import dev.floe.proxy.config.MountSettings;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;

/**
 * The mounts of one Floe, by path: those configured, plus (when sources may create them, as on a
 * bare Icecast) those a source brought. Thread-safe; iteration is in path order, as Icecast lists
 * mounts.
 */
public final class MountRegistry {
  private final Map<String, Mount> mounts = new ConcurrentSkipListMap<>();
  private final Set<Mount> sourceMade = ConcurrentHashMap.newKeySet();
  private final Function<String, MountSettings> dynamic;
  /** The order configured mounts were added in (configuration order). */
  private final Map<String, Long> added = new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong sequence =
      new java.util.concurrent.atomic.AtomicLong();
  private final MemoryBudget budget;

  /**
   * @param dynamic settings for a mount a source creates on connect, or null when only
   *     configured mounts exist
   * @param budget the memory every back buffer of these mounts shares
   */
  public MountRegistry(Function<String, MountSettings> dynamic, MemoryBudget budget) {
    this.dynamic = dynamic;
    this.budget = budget;
  }

  /** A registry whose buffer budget is sized from the JVM ({@link MemoryBudget#forJvm}). */
  public MountRegistry(Function<String, MountSettings> dynamic) {
    this(dynamic, MemoryBudget.forJvm(0));
  }

  /** The memory budget of the back buffers. */
  public MemoryBudget budget() {
    return budget;
  }

  /**
   * Removes a mount a source created (never a configured one), if it is still the one at its
   * path; returns whether it was removed.
   */
  boolean unlist(Mount m) {
    return sourceMade.remove(m) && mounts.remove(m.path(), m);
  }

  /** Adds a configured mount. */
  public Mount add(Mount m) {
    added.put(m.path(), sequence.getAndIncrement());
    mounts.put(m.path(), m);
    return m;
  }

  /** Removes and returns the mount at {@code path}, or null. */
  public Mount remove(String path) {
    added.remove(path);
    return mounts.remove(path);
  }

  /** The mount at {@code path}, or null. */
  public Mount get(String path) {
    return mounts.get(path);
  }

  /**
   * The mount a source may feed at {@code path}: the configured one, or a new one when sources
   * may create mounts; null otherwise.
   */
  public Mount forSource(String path) {
    Mount m = mounts.get(path);
    if (m != null || dynamic == null) {
      return m;
    }
    return ((ConcurrentSkipListMap<String, Mount>) mounts)
        .computeIfAbsent(path, p -> {
          Mount made = new Mount(dynamic.apply(p), this);
          sourceMade.add(made);
          return made;
        });
  }

  /** Every mount, in path order. */
  public Collection<Mount> all() {
    return new ArrayList<>(mounts.values());
  }

  /** Every mount, configured ones in the order they were added, then those sources created. */
  public List<Mount> inConfigOrder() {
    List<Mount> all = new ArrayList<>(mounts.values());
    all.sort(java.util.Comparator.comparingLong(m -> added.getOrDefault(m.path(), Long.MAX_VALUE)));
    return all;
  }

  /** The paths of every mount. */
  public List<String> paths() {
    return new ArrayList<>(mounts.keySet());
  }

  /** Whether sources may create mounts that are not configured. */
  public boolean open() {
    return dynamic != null;
  }

  /** A registry of configured mounts only (nothing dynamic). */
  public static MountRegistry fixed() {
    return new MountRegistry(null);
  }
}
