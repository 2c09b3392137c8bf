package dev.floe.proxy.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.floe.proxy.config.InvalidConfigException.Problem;
import java.util.List;

/** Parses HOCON snippets for the config tests. */
final class Fixtures {
  /** A minimal valid mount, to append to a mounts list. */
  static final String MOUNT = "{ path = \"/live\", upstreams = [\"http://origin:8000/live\"] }";

  private Fixtures() {}

  static FloeConfig parse(String hocon) throws InvalidConfigException {
    return ConfigLoader.fromConfig(ConfigFactory.parseString(hocon));
  }

  /** The problems of a snippet that must be rejected. */
  static List<Problem> problems(String hocon) {
    InvalidConfigException[] caught = new InvalidConfigException[1];
    assertThatThrownBy(() -> parse(hocon))
        .isInstanceOfSatisfying(InvalidConfigException.class, e -> caught[0] = e);
    return caught[0].problems();
  }

  /** A config with one mount that sets {@code extra} on top of {@link #MOUNT}. */
  static String mountWith(String extra) {
    return "floe.mounts = [{ path = \"/live\", upstreams = [\"http://origin:8000/live\"], "
        + extra + " }]";
  }
}
