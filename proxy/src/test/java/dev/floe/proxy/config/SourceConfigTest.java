package dev.floe.proxy.config;

import static dev.floe.proxy.config.Fixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.proxy.config.InvalidConfigException.Problem;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The source keys of {@code floe.server} and the source-related mount keys. */
class SourceConfigTest {

  @Test
  void shouldDefaultSourceKeysAsIcecastsSample() throws Exception {
    FloeConfig config = parse("");

    assertThat(config.server().sources())
        .isEqualTo(new SourceSettings("hackme", 16, 0, "/stream", false));
    MountSettings d = config.mountDefaults();
    assertThat(d.fallbackOverride()).isTrue();
    assertThat(d.sourceGrace()).isEqualTo(Duration.ofSeconds(10));
    assertThat(d.maxListeners()).isZero();
    assertThat(d.hidden()).isFalse();
    assertThat(d.password()).isNull();
    assertThat(d.fallbackMount()).isNull();
  }

  @Test
  void shouldReadSourceKeys() throws Exception {
    SourceSettings s = parse("""
        floe.server { source-password = "s3cret", max-sources = 2, shoutcast-port = 8001,
          shoutcast-mount = "/sc", sources-create-mounts = on }
        """).server().sources();

    assertThat(s).isEqualTo(new SourceSettings("s3cret", 2, 8001, "/sc", true));
    assertThat(s.toString()).doesNotContain("s3cret");
  }

  @Test
  void shouldAcceptAMountWithoutUpstreamsAsASourceMount() throws Exception {
    MountSettings m = parse("""
        floe.mount-defaults { source-grace = 3s, hidden = true }
        floe.mounts = [{ path = "/live", password = "pw", fallback-mount = "/backup",
          fallback-override = false, max-listeners = 5 }]
        """).mounts().get(0);

    assertThat(m.upstreams()).isEmpty();
    assertThat(m.password()).isEqualTo("pw");
    assertThat(m.fallbackMount()).isEqualTo("/backup");
    assertThat(m.fallbackOverride()).isFalse();
    assertThat(m.maxListeners()).isEqualTo(5);
    assertThat(m.sourceGrace()).isEqualTo(Duration.ofSeconds(3));
    assertThat(m.hidden()).isTrue();
    assertThat(m.toString()).doesNotContain("pw\"").contains("password=***");
  }

  @Test
  void shouldGiveASourceCreatedMountTheMountDefaults() throws Exception {
    FloeConfig config = parse("floe.mount-defaults { metaint = 8192, source-grace = 4s }");

    MountSettings m = config.sourceMount("/new");

    assertThat(m.path()).isEqualTo("/new");
    assertThat(m.upstreams()).isEmpty();
    assertThat(m.metaint()).isEqualTo(8192);
    assertThat(m.sourceGrace()).isEqualTo(Duration.ofSeconds(4));
    assertThat(m.password()).isNull();
  }

  @Test
  void serverQuickStartIsABareIcecast() throws Exception {
    FloeConfig config = ConfigLoader.forServer(9000, "127.0.0.1", "pw", null);

    assertThat(config.mounts()).isEmpty();
    assertThat(config.server().port()).isEqualTo(9000);
    assertThat(config.server().bind()).isEqualTo("127.0.0.1");
    assertThat(config.server().sources())
        .isEqualTo(new SourceSettings("pw", 16, 9001, "/stream", true));
  }

  @Test
  void serverQuickStartDefaultsToPort8000AndShoutcastOn8001() throws Exception {
    SourceSettings s = ConfigLoader.forServer(null, null, null, null).server().sources();

    assertThat(s.shoutcastPort()).isEqualTo(8001);
    assertThat(s.password()).isEqualTo("hackme");
  }

  @Test
  void serverQuickStartTurnsShoutcastOffForPortZero() throws Exception {
    assertThat(ConfigLoader.forServer(0, null, null, null).server().sources().shoutcastPort())
        .isZero();
  }

  @Test
  void serverQuickStartNamesTheOption() {
    assertThatThrownBy(() -> ConfigLoader.forServer(70000, null, "", null))
        .isInstanceOfSatisfying(InvalidConfigException.class, e ->
            assertThat(e.problems()).extracting(Problem::key)
                .contains("port", "source-password"));
  }
}
