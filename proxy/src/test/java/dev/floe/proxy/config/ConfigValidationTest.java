package dev.floe.proxy.config;

import static dev.floe.proxy.config.Fixtures.MOUNT;
import static dev.floe.proxy.config.Fixtures.mountWith;
import static dev.floe.proxy.config.Fixtures.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.proxy.config.InvalidConfigException.Problem;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigValidationTest {

  /** A config whose only mount has exactly {@code body}. */
  private static String one(String body) {
    return "floe.mounts = [{ " + body + " }]";
  }

  private static String upstreams(String list) {
    return one("path = \"/live\", upstreams = " + list);
  }

  static Stream<Arguments> invalidConfigs() {
    return Stream.of(
        // server
        Arguments.of("floe.server.port = 65536", "server.port", "between 0 and 65535, got 65536"),
        Arguments.of("floe.server.port = -1", "server.port", "between 0 and 65535, got -1"),
        Arguments.of("floe.server.port = abc", "server.port", "expected a number, got \"abc\""),
        Arguments.of("floe.server.port = 80.5", "server.port", "expected a whole number, got 80.5"),
        Arguments.of("floe.server.port = null", "server.port", "must be set, got null"),
        Arguments.of("floe.server.bind = \"\"", "server.bind", "must not be empty"),
        Arguments.of("floe.server.bind = \"[::1]\"", "server.bind", "IPv6 without brackets"),
        Arguments.of("floe.server.hostname = [a]", "server.hostname",
            "expected a string, got a list"),
        Arguments.of("floe.server.server-id = \"a\\nb\"", "server.server-id",
            "control characters"),
        Arguments.of("floe.server.max-clients = 0", "server.max-clients", "at least 1, got 0"),
        Arguments.of("floe.server.max-line-bytes = 10", "server.max-line-bytes",
            "between 128 and 1MiB, got 10"),
        Arguments.of("floe.server.max-headers = 0", "server.max-headers", "between 1 and 10000"),
        Arguments.of("floe.server.max-head-bytes = 4KiB", "server.max-head-bytes",
            "must be at least max-line-bytes (8KiB), got 4KiB"),
        Arguments.of("floe.server.header-timeout = 0s", "server.header-timeout",
            "greater than zero"),
        Arguments.of("floe.server.idle-timeout = 30", "server.idle-timeout",
            "needs a unit such as 3s or 500ms, got 30"),
        Arguments.of("floe.server.idle-timeout = fast", "server.idle-timeout",
            "expected a duration such as 3s or 500ms, got \"fast\""),
        Arguments.of("floe.server.response-headers = 5", "server.response-headers",
            "expected an object"),
        Arguments.of("floe.server.response-headers { \"Bad Name\" = x }",
            "server.response-headers.\"Bad Name\"", "not a valid HTTP header name"),
        Arguments.of("floe.server.response-headers { Content-Length = 5 }",
            "server.response-headers.\"Content-Length\"", "written by Floe"),
        Arguments.of("floe.server.response-headers { X-A = 1, x-a = 2 }",
            "server.response-headers.\"x-a\"", "duplicate header"),
        Arguments.of("floe.server.response-headers { X-A = [1] }",
            "server.response-headers.\"X-A\"", "expected a string"),
        Arguments.of("floe.server.prot = 1", "server.prot", "unknown key (did you mean \"port\"?)"),
        Arguments.of("floe.server.metaint = 1", "server.metaint", "it is a mount setting"),
        Arguments.of("floe.server { \"a b\" = 1 }", "server.\"a b\"", "unknown key"),
        Arguments.of("floe.server = 5", "server", "expected an object, got 5"),
        // root
        Arguments.of("floe = 5", "floe", "expected an object, got 5"),
        Arguments.of("floe.mount = []", "mount", "unknown key (did you mean \"mounts\"?)"),
        Arguments.of("floe.port = 1", "port", "it is a server setting"),
        Arguments.of("floe.mounts = {}", "mounts", "expected a list of mounts"),
        Arguments.of("floe.mount-defaults = []", "mount-defaults", "expected an object"),
        // mount-defaults
        Arguments.of("floe.mount-defaults.metaint = 0", "mount-defaults.metaint",
            "between 1 and 1048576, got 0"),
        Arguments.of("floe.mount-defaults.burst-size = 8MiB", "mount-defaults.burst-size",
            "burst-size (8MiB) must not exceed buffer-size (4MiB)"),
        Arguments.of("floe.mount-defaults.buffer-size = 512", "mount-defaults.buffer-size",
            "at least 1KiB, got 512"),
        Arguments.of("floe.mount-defaults.upstream = \"http://h/a\"", "mount-defaults.upstream",
            "cannot be set in mount-defaults"),
        Arguments.of("floe.mount-defaults.bind = x", "mount-defaults.bind",
            "it is a server setting"),
        Arguments.of("floe.mount-defaults.reconnect-min = 2m", "mount-defaults.reconnect-min",
            "reconnect-min (120s) must not exceed reconnect-max (60s)"),
        // mount values
        Arguments.of(mountWith("metaint = abc"), "mounts[0].metaint",
            "expected a number, got \"abc\""),
        Arguments.of(mountWith("metaint = 2000000"), "mounts[0].metaint",
            "between 1 and 1048576"),
        Arguments.of(mountWith("metaint = null"), "mounts[0].metaint", "must be set, got null"),
        Arguments.of(mountWith("burst-size = lots"), "mounts[0].burst-size",
            "expected a size in bytes such as 65536 or 64KiB, got \"lots\""),
        Arguments.of(mountWith("burst-size = 5MiB"), "mounts[0].burst-size",
            "must not exceed buffer-size (4MiB)"),
        Arguments.of(mountWith("buffer-size = 256KiB"), "mounts[0].buffer-size",
            "max-lag (512KiB) must not exceed buffer-size (256KiB)"),
        Arguments.of(mountWith("max-lag = 32KiB"), "mounts[0].max-lag",
            "burst-size (64KiB) must not exceed max-lag (32KiB)"),
        Arguments.of(mountWith("reconnect-min = 90s"), "mounts[0].reconnect-min",
            "reconnect-min (90s) must not exceed reconnect-max (60s)"),
        Arguments.of(mountWith("reconnect-fast-for = 0s"), "mounts[0].reconnect-fast-for",
            "must be greater than zero"),
        Arguments.of(mountWith("reconnect-max = 50ms"), "mounts[0].reconnect-max",
            "reconnect-min (100ms) must not exceed reconnect-max (50ms)"),
        Arguments.of(mountWith("max-redirects = 21"), "mounts[0].max-redirects",
            "between 0 and 20"),
        Arguments.of(mountWith("connect-timeout = -1s"), "mounts[0].connect-timeout",
            "greater than zero"),
        Arguments.of(mountWith("buffer-age = 120"), "mounts[0].buffer-age", "needs a unit"),
        Arguments.of(mountWith("stall-timeout = {}"), "mounts[0].stall-timeout",
            "expected a duration"),
        Arguments.of(mountWith("user-agent = \"\""), "mounts[0].user-agent", "must not be empty"),
        Arguments.of(mountWith("burst-szie = 1"), "mounts[0].burst-szie",
            "unknown key (did you mean \"burst-size\"?)"),
        Arguments.of(mountWith("port = 1"), "mounts[0].port", "it is a server setting"),
        // mount structure and path
        Arguments.of("floe.mounts = [\"/a\"]", "mounts[0]", "expected an object"),
        Arguments.of(one("upstream = \"http://h/a\""), "mounts[0].path", "missing"),
        Arguments.of(one("path = live, upstream = \"http://h/a\""), "mounts[0].path",
            "must start with /, got \"live\""),
        Arguments.of(one("path = \"/\", upstream = \"http://h/a\""), "mounts[0].path",
            "not just /"),
        Arguments.of(one("path = \"/a?b\", upstream = \"http://h/a\""), "mounts[0].path",
            "must not contain '?', '#' or spaces"),
        Arguments.of(one("path = \"/a#b\", upstream = \"http://h/a\""), "mounts[0].path",
            "must not contain '?', '#' or spaces"),
        Arguments.of(one("path = \"/a b\", upstream = \"http://h/a\""), "mounts[0].path",
            "must not contain '?', '#' or spaces"),
        Arguments.of(one("path = \"/a.m3u\", upstream = \"http://h/a\""), "mounts[0].path",
            "must not end in .m3u, .pls or .xspf"),
        Arguments.of(one("path = \"/a.PLS\", upstream = \"http://h/a\""), "mounts[0].path",
            "must not end in .m3u, .pls or .xspf"),
        Arguments.of(one("path = \"/a.xspf\", upstream = \"http://h/a\""), "mounts[0].path",
            "must not end in .m3u, .pls or .xspf"),
        Arguments.of(one("path = \"/admin/stats\", upstream = \"http://h/a\""), "mounts[0].path",
            "reserved"),
        Arguments.of(one("path = \"/status-json.xsl\", upstream = \"http://h/a\""),
            "mounts[0].path", "reserved"),
        Arguments.of("floe.mounts = [" + MOUNT + ", " + MOUNT + "]", "mounts[1].path",
            "duplicate of mounts[0].path \"/live\""),
        // upstreams
        Arguments.of(mountWith("upstream = \"http://h/a\""), "mounts[0].upstream",
            "either upstream or upstreams, not both"),
        Arguments.of(upstreams("[]"), "mounts[0].upstreams", "at least one upstream URL"),
        Arguments.of(upstreams("\"http://h/a\""), "mounts[0].upstreams",
            "expected a list of URLs"),
        Arguments.of(upstreams("[5]"), "mounts[0].upstreams[0]", "expected a URL string, got 5"),
        Arguments.of(upstreams("[\"ftp://h/a\"]"), "mounts[0].upstreams[0]",
            "must be an http:// or https:// URL, got scheme \"ftp\""),
        Arguments.of(upstreams("[\"//h/a\"]"), "mounts[0].upstreams[0]",
            "must be an absolute http:// or https:// URL"),
        Arguments.of(upstreams("[\"http:///a\"]"), "mounts[0].upstreams[0]",
            "has no valid host name"),
        Arguments.of(upstreams("[\"http://h:0/a\"]"), "mounts[0].upstreams[0]",
            "port must be between 1 and 65535, got 0"),
        Arguments.of(upstreams("[\"http://exa mple/\"]"), "mounts[0].upstreams[0]",
            "not a valid URL"),
        Arguments.of(upstreams("[\"http://h/a\", \"http://h/a\"]"), "mounts[0].upstreams[1]",
            "duplicate of upstreams[0]"),
        Arguments.of(one("path = /a, upstream = \"mailto:x@y\""), "mounts[0].upstream",
            "got scheme \"mailto\""),
        // sources
        Arguments.of("floe.server.source-password = \"\"", "server.source-password",
            "must not be empty"),
        Arguments.of("floe.server.max-sources = 0", "server.max-sources", "between 1 and 100000, got 0"),
        Arguments.of("floe.server.shoutcast-port = 70000", "server.shoutcast-port",
            "between 0 and 65535, got 70000"),
        Arguments.of("floe.server { port = 8000, shoutcast-port = 8000 }",
            "server.shoutcast-port", "must differ from port (8000)"),
        Arguments.of("floe.server.shoutcast-mount = stream", "server.shoutcast-mount",
            "must start with /"),
        Arguments.of("floe.server.sources-create-mounts = maybe",
            "server.sources-create-mounts", "expected true or false, got \"maybe\""),
        Arguments.of("floe.mount-defaults.source-grace = 10", "mount-defaults.source-grace",
            "needs a unit"),
        Arguments.of("floe.mount-defaults.max-listeners = -1", "mount-defaults.max-listeners",
            "at least 0, got -1"),
        Arguments.of("floe.mount-defaults.hidden = 2", "mount-defaults.hidden",
            "expected true or false, got 2"),
        Arguments.of("floe.mount-defaults.fallback-override = x",
            "mount-defaults.fallback-override", "expected true or false"),
        Arguments.of("floe.mount-defaults.password = x", "mount-defaults.password",
            "cannot be set in mount-defaults"),
        Arguments.of("floe.mount-defaults.fallback-mount = \"/x\"",
            "mount-defaults.fallback-mount", "cannot be set in mount-defaults"),
        Arguments.of(one("path = /a, password = \"\""), "mounts[0].password",
            "must not be empty"),
        Arguments.of(one("path = /a, fallback-mount = \"b\""), "mounts[0].fallback-mount",
            "must start with /"),
        Arguments.of(one("path = /a, fallback-mount = \"/a\""), "mounts[0].fallback-mount",
            "not the mount itself"));
  }

  @ParameterizedTest(name = "{1}: {0}")
  @MethodSource("invalidConfigs")
  void shouldRejectAndNameTheKey(String hocon, String key, String reason) {
    List<Problem> problems = problems(hocon);

    assertThat(problems).extracting(Problem::key).containsOnly(key);
    assertThat(problems).extracting(Problem::reason).anySatisfy(r -> assertThat(r).contains(reason));
  }

  @Test
  void shouldAllowPortZeroForAnyFreePort() throws Exception {
    assertThat(Fixtures.parse("floe.server.port = 0").server().port()).isZero();
  }

  @Test
  void shouldReportEveryProblemAtOnceInOrder() {
    String hocon = """
        floe.server { port = 70000, idle-timeout = soon }
        floe.mount-defaults { burst-szie = 1 }
        floe.mounts = [
          { path = "/a", upstreams = ["http://h/a"], metaint = "abc" }
          { path = "/a", upstream = "gopher://h/b" }
          { path = "b", upstreams = [] }
        ]
        """;

    InvalidConfigException e = catchInvalid(hocon);

    assertThat(e.problems()).extracting(Problem::key).containsExactly(
        "server.port", "server.idle-timeout", "mount-defaults.burst-szie",
        "mounts[0].metaint", "mounts[1].path", "mounts[1].upstream", "mounts[2].path",
        "mounts[2].upstreams");
    assertThat(e.source()).isEqualTo("(config)");
    assertThat(e.getMessage().lines()).hasSize(8).allSatisfy(line ->
        assertThat(line).startsWith("(config): "));
    assertThat(e.getMessage().lines().toList().get(3))
        .isEqualTo("(config): mounts[0].metaint: expected a number, got \"abc\"");
  }

  @Test
  void shouldReportTheDefaultOnceNotOncePerMount() {
    List<Problem> problems = problems("floe.mount-defaults.stall-timeout = 0s\n"
        + "floe.mounts = [" + MOUNT + ", { path = /b, upstream = \"http://h/b\" }]");

    assertThat(problems).containsExactly(
        new Problem("mount-defaults.stall-timeout", "must be greater than zero, got \"0s\""));
  }

  @Test
  void shouldKeepInvalidConfigExceptionProblemsImmutable() {
    InvalidConfigException e = catchInvalid("floe.server.port = -5");

    assertThat(e.problems()).isUnmodifiable();
    assertThatThrownBy(() -> new InvalidConfigException("x", List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static InvalidConfigException catchInvalid(String hocon) {
    try {
      Fixtures.parse(hocon);
    } catch (InvalidConfigException e) {
      return e;
    }
    throw new AssertionError("expected an InvalidConfigException");
  }
}
