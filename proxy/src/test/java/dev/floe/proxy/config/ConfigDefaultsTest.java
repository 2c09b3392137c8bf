package dev.floe.proxy.config;

import static dev.floe.proxy.config.Fixtures.MOUNT;
import static dev.floe.proxy.config.Fixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigDefaultsTest {

  @Test
  void shouldLoadReferenceDefaultsWithNoMounts() throws Exception {
    FloeConfig config = parse("");

    assertThat(config.mounts()).isEmpty();
    ServerSettings server = config.server();
    assertThat(server.bind()).isEqualTo("0.0.0.0");
    assertThat(server.port()).isEqualTo(8000);
    assertThat(server.hostname()).isEqualTo("localhost");
    assertThat(server.location()).isEqualTo("Earth");
    assertThat(server.admin()).isEqualTo("icemaster@localhost");
    assertThat(server.serverId()).isEqualTo("Icecast 2.4.4 (Floe)");
    assertThat(server.maxClients()).isEqualTo(10000);
    assertThat(server.maxLineBytes()).isEqualTo(8192);
    assertThat(server.maxHeaders()).isEqualTo(100);
    assertThat(server.maxHeadBytes()).isEqualTo(16384);
    assertThat(server.headerTimeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(server.idleTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(server.limits()).isEqualTo(LimitSettings.defaults());
    assertThat(server.responseHeaders())
        .containsEntry("Access-Control-Allow-Origin", "*")
        .containsKeys("Access-Control-Allow-Headers", "Access-Control-Expose-Headers");
  }

  @Test
  void shouldFillMountFromMountDefaults() throws Exception {
    MountSettings mount = parse("floe.mounts = [" + MOUNT + "]").mounts().get(0);

    assertThat(mount.path()).isEqualTo("/live");
    assertThat(mount.upstreams()).containsExactly(URI.create("http://origin:8000/live"));
    assertThat(mount.metaint()).isEqualTo(16000);
    assertThat(mount.burstBytes()).isEqualTo(64 * 1024);
    assertThat(mount.maxLagBytes()).isEqualTo(512 * 1024);
    assertThat(mount.bufferBytes()).isEqualTo(4 * 1024 * 1024);
    assertThat(mount.bufferAge()).isEqualTo(Duration.ofSeconds(120));
    assertThat(mount.stallTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(mount.reconnectMin()).isEqualTo(Duration.ofMillis(100));
    assertThat(mount.reconnectMax()).isEqualTo(Duration.ofSeconds(60));
    assertThat(mount.reconnectFast()).isEqualTo(Duration.ofMillis(500));
    assertThat(mount.reconnectFastFor()).isEqualTo(Duration.ofSeconds(10));
    assertThat(mount.maxRedirects()).isEqualTo(5);
    assertThat(mount.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(mount.userAgent()).isEqualTo("Floe/" + FloeVersion.current());
  }

  @Test
  void shouldReportDevVersionWhenNotPackaged() {
    assertThat(FloeVersion.current()).isEqualTo("dev");
  }

  @Test
  void shouldApplyServerOverrides() throws Exception {
    ServerSettings server = parse("""
        floe.server {
          bind = "127.0.0.1", port = 0, hostname = "radio.example", location = "Mars"
          admin = "ops@example", server-id = "Icecast 2.4.4", max-clients = 5
          max-line-bytes = 4KiB, max-headers = 10, max-head-bytes = 32768
          header-timeout = 2s, idle-timeout = 1m
          response-headers { "X-Station" = "demo", "Access-Control-Allow-Origin" = null }
        }
        """).server();

    assertThat(server).isEqualTo(new ServerSettings("127.0.0.1", 0, "radio.example", "Mars",
        "ops@example", AdminAuth.defaults(), "Icecast 2.4.4", 5, 4096, 10, 32768,
        Duration.ofSeconds(2), Duration.ofMinutes(1), server.responseHeaders(),
        new SourceSettings("hackme", 16, 0, "/stream", false),
        new TlsSettings(0, "127.0.0.1", null, null)));
    assertThat(server.responseHeaders())
        .containsEntry("X-Station", "demo")
        .doesNotContainKey("Access-Control-Allow-Origin");
  }

  @Test
  void shouldLetMountOverrideMountDefaults() throws Exception {
    List<MountSettings> mounts = parse("""
        floe.mount-defaults { metaint = 8192, user-agent = "Relay/1" }
        floe.mounts = [
          { path = "/a", upstream = "http://origin/a" }
          { path = "/b", upstreams = ["https://one/b", "http://two:8001/b"], metaint = 4096,
            burst-size = 16KiB, max-lag = 1MiB, buffer-size = 8MiB, buffer-age = 10m,
            stall-timeout = 500ms, reconnect-min = 1s, reconnect-max = 1m, max-redirects = 0,
            connect-timeout = 2s, user-agent = "B/2", switch-timeout = 1500ms,
            probe-interval = 20s, listener-delay = 32KiB }
        ]
        """).mounts();

    assertThat(mounts.get(0).metaint()).isEqualTo(8192);
    assertThat(mounts.get(0).userAgent()).isEqualTo("Relay/1");
    assertThat(mounts.get(0).upstreams()).containsExactly(URI.create("http://origin/a"));
    assertThat(mounts.get(1)).isEqualTo(new MountSettings("/b",
        List.of(URI.create("https://one/b"), URI.create("http://two:8001/b")), null, 4096, 16384,
        1024 * 1024, 8 * 1024 * 1024, Duration.ofMinutes(10), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMinutes(1), 0, Duration.ofSeconds(2), "B/2",
        Duration.ofMillis(1500), Duration.ofSeconds(20), 32 * 1024, null, null, true,
        Duration.ofSeconds(10), 0, false));
    // listener-delay defaults to each mount's own burst-size
    assertThat(mounts.get(0).listenerDelayBytes()).isEqualTo(mounts.get(0).burstBytes());
  }

  @Test
  void listenerDelayFollowsTheMountsBurstSizeUnlessSet() throws Exception {
    List<MountSettings> mounts = parse("""
        floe.mounts = [
          { path = "/a", upstream = "http://origin/a", burst-size = 32KiB }
          { path = "/b", upstream = "http://origin/b", listener-delay = 0 }
        ]
        """).mounts();
    assertThat(mounts.get(0).listenerDelayBytes()).isEqualTo(32 * 1024);
    assertThat(mounts.get(1).listenerDelayBytes()).isZero();
  }

  @Test
  void shouldAcceptByteSizesInEveryHoconForm() throws Exception {
    MountSettings mount = parse(Fixtures.mountWith(
        "burst-size = 65536, max-lag = \"1 MiB\", buffer-size = 2M")).mounts().get(0);

    assertThat(mount.burstBytes()).isEqualTo(65536);
    assertThat(mount.maxLagBytes()).isEqualTo(1024 * 1024);
    assertThat(mount.bufferBytes()).isEqualTo(2 * 1024 * 1024);
  }

  @Test
  void shouldAcceptDurationsInEveryHoconUnit() throws Exception {
    MountSettings mount = parse(Fixtures.mountWith(
        "reconnect-min = 250ms, reconnect-max = 2 minutes, buffer-age = 1h, stall-timeout = 1.5s"))
        .mounts().get(0);

    assertThat(mount.reconnectMin()).isEqualTo(Duration.ofMillis(250));
    assertThat(mount.reconnectMax()).isEqualTo(Duration.ofMinutes(2));
    assertThat(mount.bufferAge()).isEqualTo(Duration.ofHours(1));
    assertThat(mount.stallTimeout()).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void shouldAcceptNumbersGivenAsStrings() throws Exception {
    FloeConfig config = parse("floe.server.port = \"9000\"\n" + Fixtures.mountWith(
        "metaint = \"8192\""));

    assertThat(config.server().port()).isEqualTo(9000);
    assertThat(config.mounts().get(0).metaint()).isEqualTo(8192);
  }

  @Test
  void shouldNormalizeUpperCaseScheme() throws Exception {
    MountSettings mount = parse("floe.mounts = [{ path = /a, upstream = \"HTTP://origin/a\" }]")
        .mounts().get(0);

    assertThat(mount.upstreams().get(0).getScheme()).isEqualTo("http");
  }

  @Test
  void shouldSortResponseHeadersByName() throws Exception {
    ServerSettings server = parse("floe.server.response-headers { b = 2, A = 1, c = x }")
        .server();

    assertThat(server.responseHeaders()).containsKeys("A", "b", "c");
    assertThat(List.copyOf(server.responseHeaders().keySet()))
        .isSortedAccordingTo(String.CASE_INSENSITIVE_ORDER);
  }

  @Test
  void shouldKeepRecordsImmutable() throws Exception {
    FloeConfig config = parse("floe.mounts = [" + MOUNT + "]");

    assertThat(config.mounts()).isUnmodifiable();
    assertThat(config.mounts().get(0).upstreams()).isUnmodifiable();
    assertThat(config.server().responseHeaders()).isUnmodifiable();
  }
}
