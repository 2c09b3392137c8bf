package dev.floe.proxy.config;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A configuration was rejected. Carries every problem found, not just the first; the message
 * lists them one per line as {@code <source>: <key>: <reason>}, where the source is the file
 * name, {@code (config)} or {@code (command line)}.
 */
public final class InvalidConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * One rejected setting.
   *
   * @param key where the problem is, relative to the {@code floe} root, e.g. {@code
   *     mounts[1].metaint}; {@code (file)} for unreadable files and syntax errors
   * @param reason what is wrong, e.g. {@code expected a number, got "abc"}
   */
  public record Problem(String key, String reason) {
    /** Checks for nulls. */
    public Problem {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
      return key + ": " + reason;
    }
  }

  private final String source;
  private final transient List<Problem> problems;

  /**
   * Creates the exception.
   *
   * @param source where the configuration came from (a file name or a description)
   * @param problems every problem found; must not be empty
   */
  public InvalidConfigException(String source, List<Problem> problems) {
    super(format(source, problems));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("no problems");
    }
    this.source = source;
    this.problems = List.copyOf(problems);
  }

  /** Where the configuration came from: a file name, {@code (config)} or {@code (command line)}. */
  public String source() {
    return source;
  }

  /** Every problem found, in the order found; never empty. */
  public List<Problem> problems() {
    return problems;
  }

  private static String format(String source, List<Problem> problems) {
    return problems.stream()
        .map(p -> source + ": " + p.key() + ": " + p.reason())
        .collect(Collectors.joining("\n"));
  }
}
