package dev.floe.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.floe.proxy.config.InvalidConfigException.Problem;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ForRelayTest {

  @Test
  void shouldUseDefaultsWhenOnlyUpstreamIsGiven() throws Exception {
    FloeConfig config = ConfigLoader.forRelay(URI.create("http://origin:8000/live"), null, null,
        null);

    assertThat(config.server()).isEqualTo(ConfigLoader.fromConfig(
        com.typesafe.config.ConfigFactory.empty()).server());
    assertThat(config.mounts()).singleElement().satisfies(m -> {
      assertThat(m.path()).isEqualTo("/live");
      assertThat(m.upstreams()).containsExactly(URI.create("http://origin:8000/live"));
      assertThat(m.metaint()).isEqualTo(16000);
    });
  }

  @Test
  void aJoinAddressJoinsTheSwarmAsAPeerWithDefaults() throws Exception {
    String key = dev.floe.swarm.chunk.OriginKey.generate().channelKey().toString();
    String join = "http://radio.example.org:8000/live#floe=" + key;
    FloeConfig config = ConfigLoader.forRelay(java.util.List.of(URI.create(join)), null, null,
        null);

    assertThat(config.mounts()).singleElement().satisfies(m -> {
      assertThat(m.path()).isEqualTo("/live");
      assertThat(m.swarm().origin()).isFalse();
      assertThat(m.swarm().join().toString()).isEqualTo(join);
      assertThat(m.swarm().uploadKbps()).isEqualTo(512);
      assertThat(m.swarm().partners()).isEqualTo(6);
      assertThat(m.swarm().lagMs()).as("auto").isZero();
      assertThat(m.upstreams()).as("the fallback: the origin's mount")
          .containsExactly(URI.create("http://radio.example.org:8000/live"));
    });
    FloeConfig withFallback = ConfigLoader.forRelay(java.util.List.of(URI.create(join),
        URI.create("http://icecast.example.org/live")), null, null, null);
    assertThat(withFallback.mounts().get(0).upstreams())
        .containsExactly(URI.create("http://icecast.example.org/live"));
  }

  @Test
  void aBadJoinAddressIsNamedAsTheUpstream() {
    InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
        () -> ConfigLoader.forRelay(java.util.List.of(URI.create(
            "http://radio.example.org:8000/live#floe=notakey")), null, null, null));

    assertThat(e.problems()).extracting(Problem::key).containsExactly("upstream");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "http://origin:8000/live, /live",
      "http://origin:8000/, /stream",
      "http://origin:8000, /stream",
      "https://origin/radio/hi.mp3?token=1, /radio/hi.mp3",
      "http://origin/a%20b, /a%20b",
      // a playlist link names the stream, as Icecast's own /live.m3u does (floe relay asks the
      // playlist for its first stream's path first; this is the fallback)
      "http://origin:8000/live.m3u, /live",
      "http://origin/listen/radio.PLS?sid=1, /listen/radio",
      "http://origin/live.xspf, /live",
      "http://origin/hls/x.m3u8, /hls/x",
      "http://origin/a.asx, /a",
      "http://origin/.pls, /stream"})
  void shouldDeriveMountPathFromUpstream(String upstream, String path) throws Exception {
    FloeConfig config = ConfigLoader.forRelay(URI.create(upstream), null, null, null);

    assertThat(config.mounts().get(0).path()).isEqualTo(path);
  }

  @Test
  void shouldApplyPortBindAndMount() throws Exception {
    FloeConfig config = ConfigLoader.forRelay(URI.create("http://origin/live"), 0, "127.0.0.1",
        "/mine");

    assertThat(config.server().port()).isZero();
    assertThat(config.server().bind()).isEqualTo("127.0.0.1");
    assertThat(config.mounts().get(0).path()).isEqualTo("/mine");
  }

  @Test
  void shouldNameParametersInProblems() {
    InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
        () -> ConfigLoader.forRelay(URI.create("ftp://origin/live"), 70000, "", "live"));

    assertThat(e.source()).isEqualTo("(command line)");
    assertThat(e.problems()).extracting(Problem::key)
        .containsExactlyInAnyOrder("port", "bind", "mount", "upstream");
    assertThat(e.getMessage()).contains(
        "(command line): upstream: must be an http:// or https:// URL, got scheme \"ftp\"");
  }

  @Test
  void shouldRequireAnUpstream() {
    InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
        () -> ConfigLoader.forRelay((URI) null, null, null, null));

    assertThat(e.problems()).extracting(Problem::key).containsExactly("upstream");
  }

  @Test
  void shouldRejectUpstreamWithoutHost() {
    InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
        () -> ConfigLoader.forRelay(URI.create("http:///live"), null, null, null));

    assertThat(e.problems()).containsExactly(new Problem("upstream", "has no valid host name"));
  }
}
