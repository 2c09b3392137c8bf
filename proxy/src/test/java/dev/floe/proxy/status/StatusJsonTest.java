package dev.floe.proxy.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusJsonTest {

  private static Map<String, Object> icestats(String json) {
    Object root = StrictJson.parse(json);
    assertThat(root).isInstanceOf(Map.class);
    assertThat(StrictJson.obj(root).keySet()).containsExactly("icestats");
    return StrictJson.obj(StrictJson.obj(root).get("icestats"));
  }

  @Test
  void noMountsIsValidJsonWithoutSource() {
    String json = StatusJson.render(Fixtures.server(), List.of());

    assertThat(json).isEqualTo("{\"icestats\":{\"admin\":\"icemaster@localhost\","
        + "\"host\":\"localhost\",\"location\":\"Earth\",\"server_id\":\"Floe 0.1.0\","
        + "\"server_start\":\"Wed, 06 May 2020 17:49:37 +0000\","
        + "\"server_start_iso8601\":\"2020-05-06T17:49:37+0000\"}}");
    assertThat(icestats(json)).doesNotContainKey("source");
  }

  @Test
  void oneMountIsAnObjectWithIcecastKeysInOrder() {
    String json = StatusJson.render(Fixtures.server(), List.of(Fixtures.mount("/live", "A - B")));

    assertThat(json).isEqualTo("{\"icestats\":{\"admin\":\"icemaster@localhost\","
        + "\"host\":\"localhost\",\"location\":\"Earth\",\"server_id\":\"Floe 0.1.0\","
        + "\"server_start\":\"Wed, 06 May 2020 17:49:37 +0000\","
        + "\"server_start_iso8601\":\"2020-05-06T17:49:37+0000\","
        + "\"source\":{\"audio_info\":\"bitrate=128;channels=2;samplerate=44100\","
        + "\"bitrate\":128,\"channels\":2,\"genre\":\"Jazz\",\"listener_peak\":7,"
        + "\"listeners\":3,\"listenurl\":\"http://localhost:8000/live\",\"samplerate\":44100,"
        + "\"server_description\":\"Best of /live\",\"server_name\":\"Radio /live\","
        + "\"server_type\":\"audio/mpeg\",\"server_url\":\"https://radio.example\","
        + "\"stream_start\":\"Wed, 06 May 2020 18:00:05 +0000\","
        + "\"stream_start_iso8601\":\"2020-05-06T18:00:05+0000\",\"title\":\"A - B\","
        + "\"floe_mount\":\"/live\",\"floe_live\":true,"
        + "\"floe_upstream\":\"http://origin.example:8000/live\","
        + "\"floe_hls_listeners\":0,"
        + "\"floe_slow_listeners_dropped\":1,\"floe_bytes_in\":1000,\"floe_bytes_out\":5000,"
        + "\"floe_reconnects\":2,\"floe_buffer_bytes\":65536,\"floe_buffer_seconds\":4.096,"
        + "\"dummy\":null}}}");
    Map<String, Object> stats = icestats(json);
    assertThat(stats.keySet()).containsExactly("admin", "host", "location", "server_id",
        "server_start", "server_start_iso8601", "source");
    assertThat(stats.get("source")).isInstanceOf(Map.class);
  }

  @Test
  void severalMountsAreAnArrayInGivenOrder() {
    String json = StatusJson.render(Fixtures.server(), List.of(
        Fixtures.mount("/a", "one"), Fixtures.bare("/b"), Fixtures.mount("/c", "three")));

    Object source = icestats(json).get("source");
    assertThat(source).isInstanceOf(List.class);
    List<Object> sources = StrictJson.arr(source);
    assertThat(sources).hasSize(3);
    assertThat(sources).extracting(s -> StrictJson.obj(s).get("listenurl")).containsExactly(
        "http://localhost:8000/a", "http://localhost:8000/b", "http://localhost:8000/c");
    Map<String, Object> full = StrictJson.obj(sources.get(0));
    assertThat(full.keySet()).containsExactly("audio_info", "bitrate", "channels", "genre",
        "listener_peak", "listeners", "listenurl", "samplerate", "server_description",
        "server_name", "server_type", "server_url", "stream_start", "stream_start_iso8601",
        "title", "floe_mount", "floe_live", "floe_upstream", "floe_hls_listeners",
        "floe_slow_listeners_dropped",
        "floe_bytes_in", "floe_bytes_out", "floe_reconnects", "floe_buffer_bytes",
        "floe_buffer_seconds", "dummy");
    assertThat(full.get("dummy")).isNull();
    assertThat(full.containsKey("dummy")).isTrue();
  }

  @Test
  void nullsAreOmitted() {
    Map<String, Object> stats = icestats(StatusJson.render(
        new ServerInfo(null, "h", null, null, null), List.of(Fixtures.bare("/b"))));

    assertThat(stats.keySet()).containsExactly("host", "source");
    Map<String, Object> source = StrictJson.obj(stats.get("source"));
    assertThat(source.keySet()).containsExactly("listener_peak", "listeners", "listenurl",
        "floe_mount", "floe_live", "floe_hls_listeners", "floe_slow_listeners_dropped",
        "floe_bytes_in", "floe_bytes_out", "floe_reconnects", "floe_buffer_bytes",
        "floe_buffer_seconds", "dummy");
    assertThat(source.get("floe_live")).isEqualTo(false);
    assertThat(source.get("floe_buffer_seconds").toString()).isEqualTo("0");
  }

  @Test
  void emptyServerInfoStillValid() {
    String json = StatusJson.render(new ServerInfo(null, null, null, null, null), List.of());

    assertThat(json).isEqualTo("{\"icestats\":{}}");
    assertThat(icestats(json)).isEmpty();
  }

  @Test
  void titlesAreEscaped() {
    String nasty = "He said \"hi\" \\o/\nnext\r\ttab\u0000\u0001\u001f\u007f end";
    String json = StatusJson.render(Fixtures.server(),
        List.of(Fixtures.mount("/live", nasty)));

    assertThat(json).contains("\"title\":\"He said \\\"hi\\\" \\\\o/\\u000anext\\u000d\\u0009tab"
        + "\\u0000\\u0001\\u001f\\u007f end\"");
    Map<String, Object> source = StrictJson.obj(icestats(json).get("source"));
    assertThat(source.get("title")).isEqualTo(nasty);
  }

  @Test
  void nonAsciiStaysUtf8() {
    String title = "Sigur Rós – Hoppípolla 🎵 日本";
    byte[] bytes = StatusJson.renderBytes(Fixtures.server(),
        List.of(Fixtures.mount("/live", title)));
    String json = new String(bytes, StandardCharsets.UTF_8);

    assertThat(json).contains("\"title\":\"" + title + "\"");
    assertThat(StrictJson.obj(icestats(json).get("source")).get("title")).isEqualTo(title);
    assertThat(bytes).contains("ó".getBytes(StandardCharsets.UTF_8));
    assertThat(bytes).contains("🎵".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void unpairedSurrogatesAndLineSeparatorsAreMadeSafe() {
    String json = StatusJson.render(Fixtures.server(),
        List.of(Fixtures.mount("/live", "a\uD800b\uDC00c\u2028d")));

    assertThat(json).contains("\"title\":\"a\uFFFDb\uFFFDc\\u2028d\"");
    assertThat(StrictJson.obj(icestats(json).get("source")).get("title"))
        .isEqualTo("a\uFFFDb\uFFFDc\u2028d");
  }

  @Test
  void bufferSecondsIsAPlainRoundedNumberOrOmitted() {
    MountStatus m = Fixtures.mount("/live", "t");
    assertThat(StatusJson.render(Fixtures.server(), List.of(Fixtures.withBufferSeconds(m, 1e-9))))
        .contains("\"floe_buffer_seconds\":0,");
    assertThat(StatusJson.render(Fixtures.server(), List.of(Fixtures.withBufferSeconds(m, 12e9))))
        .contains("\"floe_buffer_seconds\":12000000000,");
    assertThat(StatusJson.render(Fixtures.server(), List.of(Fixtures.withBufferSeconds(m, 2.5))))
        .contains("\"floe_buffer_seconds\":2.5,");
    assertThat(StatusJson.render(Fixtures.server(), List.of(Fixtures.withBufferSeconds(m, 1.0))))
        .contains("\"floe_buffer_seconds\":1,");
    String nan = StatusJson.render(Fixtures.server(),
        List.of(Fixtures.withBufferSeconds(m, Double.NaN)));
    assertThat(nan).doesNotContain("floe_buffer_seconds");
    icestats(nan);
    String inf = StatusJson.render(Fixtures.server(),
        List.of(Fixtures.withBufferSeconds(m, Double.POSITIVE_INFINITY)));
    assertThat(inf).doesNotContain("floe_buffer_seconds");
    icestats(inf);
  }

  @Test
  void serverFieldsAreEscapedToo() {
    String json = StatusJson.render(
        new ServerInfo("a\"b", "h\\", "loc\n", "id", null), List.of());

    assertThat(icestats(json)).containsExactly(
        Map.entry("admin", "a\"b"), Map.entry("host", "h\\"), Map.entry("location", "loc\n"),
        Map.entry("server_id", "id"));
  }
}
