package dev.floe.proxy.config;

import static dev.floe.proxy.config.Fixtures.parse;
import static dev.floe.proxy.config.Fixtures.problems;
import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.proxy.config.SwarmSettings.Role;
import dev.floe.swarm.chunk.OriginKey;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A mount's {@code swarm { }} block: values read, defaults, and every bad key named. */
class SwarmConfigTest {
  private static final String KEY = OriginKey.generate().channelKey().toString();
  private static final String JOIN = "http://origin.example:8000/live#floe=" + KEY;

  private static String sourceMount(String swarm) {
    return "floe.mounts = [{ path = \"/live\", swarm { " + swarm + " } }]";
  }

  @Test
  void originDefaults() throws Exception {
    MountSettings m = parse(sourceMount("role = origin")).mounts().get(0);

    assertThat(m.swarm()).isEqualTo(new SwarmSettings(Role.ORIGIN, null, null, 512, 2, 128, 0,
        6));
    assertThat(m.upstreams()).isEmpty();
    assertThat(m.swarmPeer()).isFalse();
    assertThat(m.swarm().resolvedKeyFile("/live.mp3").getFileName().toString())
        .isEqualTo("origin-live.mp3.key");
  }

  @Test
  void originKeyFileCopiesAndBitrate() throws Exception {
    SwarmSettings s = parse(sourceMount("role = origin, key-file = \"/tmp/k.key\", copies = 3,"
        + " bitrate = 96kbit, lag = 5s")).mounts().get(0).swarm();

    assertThat(s.keyFile()).isEqualTo(Path.of("/tmp/k.key"));
    assertThat(s.copies()).isEqualTo(3);
    assertThat(s.bitrateKbps()).isEqualTo(96);
    assertThat(s.lagMs()).isEqualTo(5000);
    assertThat(s.resolvedKeyFile("/live")).isEqualTo(Path.of("/tmp/k.key"));
  }

  @Test
  void peerWithoutUpstreamsFallsBackToTheJoinAddressStream() throws Exception {
    MountSettings m = parse(sourceMount("role = peer, join = \"" + JOIN + "\", upload = 256k,"
        + " partners = 4")).mounts().get(0);

    assertThat(m.swarmPeer()).isTrue();
    assertThat(m.swarm().join().channel().toString()).isEqualTo(KEY);
    assertThat(m.swarm().uploadKbps()).isEqualTo(256);
    assertThat(m.swarm().partners()).isEqualTo(4);
    assertThat(m.upstreams()).containsExactly(URI.create("http://origin.example:8000/live"));
  }

  @Test
  void peerWithUpstreamsKeepsThemAsFallbacks() throws Exception {
    MountSettings m = parse("floe.mounts = [{ path = \"/live\", upstreams = [\"http://ice:8000/"
        + "live\"], swarm { role = peer, join = \"" + JOIN + "\" } }]").mounts().get(0);

    assertThat(m.upstreams()).containsExactly(URI.create("http://ice:8000/live"));
  }

  @Test
  void noSwarmBlockMeansNone() throws Exception {
    assertThat(parse(Fixtures.mountWith("metaint = 8192")).mounts().get(0).swarm()).isNull();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "role = seed                          | mounts[0].swarm.role     | expected origin or peer",
      "upload = 5                           | mounts[0].swarm.role     | missing",
      "role = peer                          | mounts[0].swarm.join     | missing",
      "role = peer, join = \"http://o:8000/live\" | mounts[0].swarm.join | #floe=",
      "role = peer, join = \"ftp://o/live#floe=x\" | mounts[0].swarm.join | http://",
      "role = origin, join = \"http://o/x\" | mounts[0].swarm.join     | an origin has no join",
      "role = origin, upload = fast         | mounts[0].swarm.upload   | expected a rate",
      "role = origin, upload = 200000kbit   | mounts[0].swarm.upload   | between",
      "role = origin, bitrate = 4kbit       | mounts[0].swarm.bitrate  | between 8kbit",
      "role = origin, copies = 9            | mounts[0].swarm.copies   | between",
      "role = origin, lag = 2s              | mounts[0].swarm.lag      | 3s to 30s",
      "role = origin, lag = soon            | mounts[0].swarm.lag      | auto",
      "role = origin, partners = 0          | mounts[0].swarm.partners | between",
      "role = origin, partner = 3           | mounts[0].swarm.partner  | did you mean \"partners\"",
      "role = origin, colour = red          | mounts[0].swarm.colour   | unknown key",
  })
  void badValuesAreNamed(String swarm, String key, String reason) {
    assertThat(problems(sourceMount(swarm))).anySatisfy(p -> {
      assertThat(p.key()).isEqualTo(key);
      assertThat(p.reason()).contains(reason);
    });
  }

  @Test
  void peerOnlyAndOriginOnlyKeysAreNamed() {
    String bad = "role = peer, join = \"" + JOIN + "\", key-file = \"/k\", copies = 2";

    assertThat(problems(sourceMount(bad))).extracting(InvalidConfigException.Problem::key)
        .contains("mounts[0].swarm.key-file", "mounts[0].swarm.copies");
  }

  @Test
  void swarmMustBeAnObjectAndNotADefault() {
    assertThat(problems("floe.mounts = [{ path = \"/live\", swarm = origin }]"))
        .anySatisfy(p -> assertThat(p.key()).isEqualTo("mounts[0].swarm"));
    assertThat(problems("floe.mount-defaults.swarm { role = origin }"))
        .anySatisfy(p -> assertThat(p.reason()).contains("set it in each mount"));
  }

  @Test
  void aPeerCannotHaveAPlaylist() {
    List<InvalidConfigException.Problem> p = problems("floe.mounts = [{ path = \"/live\","
        + " playlist = \"/nonexistent\", swarm { role = peer, join = \"" + JOIN + "\" } }]");

    assertThat(p).extracting(InvalidConfigException.Problem::key).contains("mounts[0].swarm");
  }

  @Test
  void everySwarmKeyIsDocumented() throws Exception {
    String doc = java.nio.file.Files.readString(Path.of("../docs/configuration.md"));
    assertThat(Keys.SWARM).allSatisfy(k -> assertThat(doc).contains("| `" + k + "` |"));
  }
}
