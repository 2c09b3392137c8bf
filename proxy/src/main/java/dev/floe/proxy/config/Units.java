package dev.floe.proxy.config;

import java.time.Duration;

/** Formats sizes and durations the way a user would write them in HOCON. */
final class Units {
  private static final long KIB = 1024;

  private Units() {}

  /** {@code 65536} becomes {@code 64KiB}; sizes that are not a whole unit stay in bytes. */
  static String bytes(long value) {
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    if (value == 0) {
      return "0";
    }
    long scaled = value;
    int unit = -1;
    while (unit + 1 < units.length && scaled % KIB == 0) {
      scaled /= KIB;
      unit++;
    }
    return unit < 0 ? Long.toString(value) : scaled + units[unit];
  }

  /** {@code 3000ms} becomes {@code 3s}; sub-millisecond durations are given in nanoseconds. */
  static String duration(Duration value) {
    if (value.getNano() % 1_000_000 != 0) {
      return value.toNanos() + "ns";
    }
    long millis = value.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }
}
