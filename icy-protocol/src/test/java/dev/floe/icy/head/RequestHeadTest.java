package dev.floe.icy.head;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestHeadTest {
  static RequestHead get(String target) {
    return new RequestHead("GET", target, "HTTP/1.1", Headers.EMPTY);
  }

  static RequestHead withHost(String host) {
    return new RequestHead("GET", "/", "HTTP/1.1", Headers.builder().add("Host", host).build());
  }

  @Test
  void pathAndQueryAreRaw() {
    RequestHead r = get("/a%20b/c?x=1&y=%2F?z");
    assertThat(r.path()).isEqualTo("/a%20b/c");
    assertThat(r.query()).isEqualTo("x=1&y=%2F?z");
    assertThat(get("/m").query()).isEmpty();
    assertThat(get("/m").path()).isEqualTo("/m");
    assertThat(get("/m?").query()).isEmpty();
    assertThat(get("/m?").path()).isEqualTo("/m");
  }

  @Test
  void queryParamsAreFormDecodedFirstValueWinsInOrder() {
    RequestHead r =
        get("/admin/metadata?mount=%2Flive&mode=updinfo&song=Rock+%27n%27+Roll%3B+Live&mode=other"
            + "&flag&&=nameless&bad=%zz%4&utf=%C3%A9t%C3%A9&raw=\u00c3\u00a9");
    Map<String, String> q = r.queryParams();
    assertThat(q)
        .containsExactly(
            Map.entry("mount", "/live"),
            Map.entry("mode", "updinfo"),
            Map.entry("song", "Rock 'n' Roll; Live"),
            Map.entry("flag", ""),
            Map.entry("bad", "%zz%4"),
            Map.entry("utf", "\u00e9t\u00e9"),
            Map.entry("raw", "\u00e9"));
    assertThat(get("/m").queryParams()).isEmpty();
    assertThat(get("/m?a=b=c").queryParams()).containsExactly(Map.entry("a", "b=c"));
  }

  @Test
  void hostWithoutPort() {
    assertThat(withHost("radio.example.org").host()).isEqualTo("radio.example.org");
    assertThat(withHost("radio.example.org").hostPort(8000)).isEqualTo(8000);
    assertThat(withHost("radio.example.org:8443").host()).isEqualTo("radio.example.org");
    assertThat(withHost("radio.example.org:8443").hostPort(8000)).isEqualTo(8443);
    assertThat(get("/").host()).isNull();
    assertThat(get("/").hostPort(80)).isEqualTo(80);
  }

  @Test
  void ipv6Hosts() {
    assertThat(withHost("[::1]:8000").host()).isEqualTo("[::1]");
    assertThat(withHost("[::1]:8000").hostPort(80)).isEqualTo(8000);
    assertThat(withHost("[::1]").host()).isEqualTo("[::1]");
    assertThat(withHost("[::1]").hostPort(80)).isEqualTo(80);
    assertThat(withHost("[2001:db8::7]:1").hostPort(80)).isEqualTo(1);
  }

  @Test
  void invalidPortsGiveTheDefault() {
    assertThat(withHost("x:").hostPort(80)).isEqualTo(80);
    assertThat(withHost("x:abc").hostPort(80)).isEqualTo(80);
    assertThat(withHost("x:65536").hostPort(80)).isEqualTo(80);
    assertThat(withHost("x:99999999999").hostPort(80)).isEqualTo(80);
    assertThat(withHost("x:-1").hostPort(80)).isEqualTo(80);
    assertThat(withHost("x:65535").hostPort(80)).isEqualTo(65535);
    assertThat(withHost("[::1").hostPort(80)).isEqualTo(80);
  }
}
