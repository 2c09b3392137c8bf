package dev.floe.proxy.playlist;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Which item of a scheduled playlist plays at a given instant, as Alluvium clients compute it. An
 * item with a start time starts then; an item without follows the one before it (and items
 * before the first scheduled one lead up to it back to back). An item is cut when the next
 * item's scheduled start comes. Pure.
 */
public final class Schedule {
  /**
   * One item's timing.
   *
   * @param start its scheduled start, or null
   * @param duration how long it plays
   */
  public record Slot(Instant start, Duration duration) {}

  /**
   * Where to be.
   *
   * @param index the item
   * @param offset how far into the item, or (negative) how long until it starts
   */
  public record Position(int index, Duration offset) {}

  private Schedule() {}

  /** Whether any slot has a start time. */
  public static boolean scheduled(List<Slot> slots) {
    return slots.stream().anyMatch(s -> s.start() != null);
  }

  /**
   * The item playing at {@code now} and the offset into it; the next item with a negative offset
   * in a gap or before the first start; null when the schedule is over or has no start time.
   */
  public static Position at(List<Slot> slots, Instant now) {
    Instant[] starts = starts(slots);
    if (starts == null) {
      return null;
    }
    for (int i = 0; i < slots.size(); i++) {
      Instant end = end(slots, starts, i);
      if (now.isBefore(starts[i])) {
        return new Position(i, Duration.between(now, starts[i]).negated());
      }
      if (now.isBefore(end)) {
        return new Position(i, Duration.between(starts[i], now));
      }
    }
    return null;
  }

  /** When item {@code i} is cut: the next item's scheduled start, or null when it plays out. */
  public static Instant cut(List<Slot> slots, int i) {
    return i + 1 < slots.size() ? slots.get(i + 1).start() : null;
  }

  /** Each slot's effective start, or null when none has a start time. */
  static Instant[] starts(List<Slot> slots) {
    int first = -1;
    for (int i = 0; i < slots.size() && first < 0; i++) {
      if (slots.get(i).start() != null) {
        first = i;
      }
    }
    if (first < 0) {
      return null;
    }
    Instant[] starts = new Instant[slots.size()];
    starts[first] = slots.get(first).start();
    for (int i = first - 1; i >= 0; i--) {
      starts[i] = starts[i + 1].minus(slots.get(i).duration());
    }
    for (int i = first + 1; i < slots.size(); i++) {
      Instant s = slots.get(i).start();
      starts[i] = s != null ? s : starts[i - 1].plus(slots.get(i - 1).duration());
    }
    return starts;
  }

  private static Instant end(List<Slot> slots, Instant[] starts, int i) {
    Instant natural = starts[i].plus(slots.get(i).duration());
    Instant cut = cut(slots, i);
    return cut != null && cut.isBefore(natural) ? cut : natural;
  }
}
