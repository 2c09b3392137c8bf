package dev.floe.swarm.guard;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Peers banned until a time, keyed by what identifies them (an IP address: node ids are
 * self-chosen). A forged chunk earns {@link #FORGED_BAN}. At most {@code capacity} entries: when
 * full, the ban that ends soonest is dropped. Clock injected; not thread-safe.
 *
 * @param <K> the peer key
 */
public final class BanList<K> {
  /** The ban for a forged or truncated chunk (brief §2.3): one hour. */
  public static final Duration FORGED_BAN = Duration.ofHours(1);

  private final Clock clock;
  private final int capacity;
  private final Map<K, Long> until = new HashMap<>();

  /** @throws IllegalArgumentException if {@code capacity < 1} */
  public BanList(Clock clock, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    this.clock = clock;
    this.capacity = capacity;
  }

  /** Bans {@code peer} for {@code duration} from now (a longer existing ban stays). */
  public void ban(K peer, Duration duration) {
    long end = clock.millis() + duration.toMillis();
    prune();
    if (!until.containsKey(peer) && until.size() >= capacity) {
      until.entrySet().stream().min(Map.Entry.comparingByValue(Comparator.naturalOrder()))
          .ifPresent(e -> until.remove(e.getKey()));
    }
    until.merge(peer, end, Math::max);
  }

  /** True while {@code peer} is banned. */
  public boolean banned(K peer) {
    return remaining(peer).isPresent();
  }

  /** How long {@code peer} stays banned, if it is. */
  public Optional<Duration> remaining(K peer) {
    Long end = until.get(peer);
    long now = clock.millis();
    if (end == null || end <= now) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofMillis(end - now));
  }

  /** Bans in force. */
  public int size() {
    prune();
    return until.size();
  }

  private void prune() {
    long now = clock.millis();
    until.values().removeIf(end -> end <= now);
  }
}
