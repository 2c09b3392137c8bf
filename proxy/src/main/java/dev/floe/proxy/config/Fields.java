package dev.floe.proxy.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.floe.proxy.config.InvalidConfigException.Problem;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads typed values from one HOCON object and records a {@link Problem} instead of throwing.
 * Every getter returns {@code null} after recording a problem, so callers read all keys and
 * report all problems in one pass. Not thread safe; one instance per section being read.
 */
final class Fields {
  private static final Pattern BARE_NUMBER = Pattern.compile("\\s*-?[0-9]+(\\.[0-9]+)?\\s*");
  private static final Pattern SIMPLE_KEY = Pattern.compile("[A-Za-z0-9_-]+(\\[[0-9]+])?");
  private static final int MAX_RENDERED = 60;

  private final ConfigObject object;
  private final Config config;
  private final String prefix;
  private final List<Problem> problems;

  /**
   * @param object the section to read
   * @param prefix key of the section relative to the floe root ({@code server}, {@code
   *     mounts[1]}), or empty for the root itself
   * @param problems where problems are added
   */
  Fields(ConfigObject object, String prefix, List<Problem> problems) {
    this.object = object;
    this.config = object.toConfig();
    this.prefix = prefix;
    this.problems = problems;
  }

  ConfigObject object() {
    return object;
  }

  /** The problem key of {@code name} in this section. */
  String key(String name) {
    String shown = SIMPLE_KEY.matcher(name).matches() ? name : ConfigUtil.quoteString(name);
    return prefix.isEmpty() ? shown : prefix + "." + shown;
  }

  boolean has(String name) {
    return object.containsKey(name);
  }

  void problem(String name, String reason) {
    problems.add(new Problem(key(name), reason));
  }

  /** Records a problem at a path below this section that is already rendered as a key. */
  void problemBelow(String renderedPath, String reason) {
    problems.add(new Problem(prefix.isEmpty() ? renderedPath : prefix + "." + renderedPath,
        reason));
  }

  /** A string; numbers and booleans are taken as their text. */
  String text(String name, boolean allowBlank) {
    ConfigValue value = present(name);
    if (value == null) {
      return null;
    }
    String text = textOf(value);
    if (text == null) {
      problem(name, "expected a string, got " + describe(value));
      return null;
    }
    if (!allowBlank && text.isBlank()) {
      problem(name, "must not be empty");
      return null;
    }
    if (hasControlCharacter(text)) {
      problem(name, "must not contain control characters such as line breaks");
      return null;
    }
    return text;
  }

  /** A whole number such as {@code 16000} or {@code "16000"}, within {@code [min, max]}. */
  Long whole(String name, long min, long max) {
    ConfigValue value = present(name);
    if (value == null) {
      return null;
    }
    Long number = wholeOf(value);
    if (number == null) {
      String expected = value.valueType() == ConfigValueType.NUMBER ? "a whole number" : "a number";
      problem(name, "expected " + expected + ", got " + describe(value));
      return null;
    }
    return inRange(name, number, min, max, false);
  }

  /** A boolean: {@code true}/{@code false} (HOCON also reads {@code on}/{@code off}, yes/no). */
  Boolean flag(String name) {
    ConfigValue value = present(name);
    if (value == null) {
      return null;
    }
    try {
      return config.getBoolean(ConfigUtil.joinPath(name));
    } catch (ConfigException e) {
      problem(name, "expected true or false, got " + describe(value));
      return null;
    }
  }

  /** A size in bytes such as {@code 65536} or {@code 64KiB}, within {@code [min, max]}. */
  Long bytes(String name, long min, long max) {
    ConfigValue value = present(name);
    if (value == null) {
      return null;
    }
    long bytes;
    try {
      bytes = config.getBytes(ConfigUtil.joinPath(name));
    } catch (ConfigException e) {
      problem(name, "expected a size in bytes such as 65536 or 64KiB, got " + describe(value));
      return null;
    }
    return inRange(name, bytes, min, max, true);
  }

  /**
   * A positive duration such as {@code 3s} or {@code 500ms}. A bare number is rejected although
   * HOCON would read it as milliseconds: {@code stall-timeout = 3} is almost always a mistake.
   */
  Duration positiveDuration(String name) {
    ConfigValue value = present(name);
    if (value == null) {
      return null;
    }
    String text = textOf(value);
    if (text != null && BARE_NUMBER.matcher(text).matches()) {
      problem(name, "needs a unit such as 3s or 500ms, got " + describe(value));
      return null;
    }
    Duration duration;
    try {
      duration = config.getDuration(ConfigUtil.joinPath(name));
    } catch (ConfigException e) {
      problem(name, "expected a duration such as 3s or 500ms, got " + describe(value));
      return null;
    }
    if (duration.isZero() || duration.isNegative()) {
      problem(name, "must be greater than zero, got " + describe(value));
      return null;
    }
    return duration;
  }

  /** The value of {@code name}, or null after recording "missing" / "got null". */
  ConfigValue present(String name) {
    ConfigValue value = object.get(name);
    if (value == null) {
      problem(name, "missing");
      return null;
    }
    if (value.valueType() == ConfigValueType.NULL) {
      problem(name, "must be set, got null");
      return null;
    }
    return value;
  }

  private Long inRange(String name, long value, long min, long max, boolean size) {
    if (value >= min && value <= max) {
      return value;
    }
    String got = size ? Units.bytes(value) : Long.toString(value);
    String lo = size ? Units.bytes(min) : Long.toString(min);
    String hi = size ? Units.bytes(max) : Long.toString(max);
    boolean unbounded = max == Long.MAX_VALUE || max == Integer.MAX_VALUE;
    String reason = unbounded && value < min
        ? "must be at least " + lo + ", got " + got
        : "must be between " + lo + " and " + hi + ", got " + got;
    problem(name, reason);
    return null;
  }

  /** The text of a scalar, or null for objects, lists, null and a missing value. */
  static String textOf(ConfigValue value) {
    if (value == null) {
      return null;
    }
    return switch (value.valueType()) {
      case STRING, NUMBER, BOOLEAN -> String.valueOf(value.unwrapped());
      default -> null;
    };
  }

  private static Long wholeOf(ConfigValue value) {
    Object raw = value.unwrapped();
    if (raw instanceof Integer || raw instanceof Long) {
      return ((Number) raw).longValue();
    }
    if (raw instanceof Double d) {
      boolean whole = d == Math.rint(d) && Math.abs(d) < 0x1p53;
      return whole ? (long) d.doubleValue() : null;
    }
    if (raw instanceof String s) {
      try {
        return Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  /** A short rendering of a value for messages: {@code "abc"}, {@code 1.5}, {@code a list}. */
  static String describe(ConfigValue value) {
    switch (value.valueType()) {
      case OBJECT:
        return "an object";
      case LIST:
        return "a list";
      default:
        String rendered = value.render(ConfigRenderOptions.concise());
        return rendered.length() <= MAX_RENDERED
            ? rendered
            : rendered.substring(0, MAX_RENDERED) + "...";
    }
  }

  static boolean hasControlCharacter(String text) {
    return text.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f);
  }
}
