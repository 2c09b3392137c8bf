package dev.floe.proxy.config;

import static dev.floe.proxy.config.Fixtures.mountWith;
import static dev.floe.proxy.config.Fixtures.parse;
import static dev.floe.proxy.config.Fixtures.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A mount's {@code listener-auth { add-url, remove-url }}. */
class ListenerAuthConfigTest {

  @Test
  void absentMeansNoListenerAuth() throws Exception {
    assertThat(parse(mountWith("metaint = 8192")).mounts().get(0).listenerAuth()).isNull();
  }

  @Test
  void bothUrlsAreRead() throws Exception {
    assertThat(parse(mountWith("listener-auth { add-url = \"http://a/add\","
        + " remove-url = \"https://a/rm\" }")).mounts().get(0).listenerAuth())
        .isEqualTo(new ListenerAuthSettings(URI.create("http://a/add"), URI.create("https://a/rm")));
    assertThat(parse(mountWith("listener-auth { add-url = \"http://a/add\" }")).mounts().get(0)
        .listenerAuth().removeUrl()).isNull();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "listener-auth = 5                          | mounts[0].listener-auth         | expected an object",
      "listener-auth { }                          | mounts[0].listener-auth.add-url | missing",
      "listener-auth { add-url = \"ftp://a/b\" }  | mounts[0].listener-auth.add-url | http:// or https://",
      "listener-auth { add-url = \"http://a/b\", remove-url = \"x\" } | mounts[0].listener-auth.remove-url | absolute",
      "listener-auth { add-url = \"http://a/b\", add = 1 } | mounts[0].listener-auth.add | unknown key",
  })
  void badValuesAreNamed(String extra, String key, String reason) {
    assertThat(problems(mountWith(extra))).anySatisfy(p -> {
      assertThat(p.key()).isEqualTo(key);
      assertThat(p.reason()).contains(reason);
    });
  }

  @Test
  void itCannotBeAMountDefault() {
    assertThat(problems("floe.mount-defaults.listener-auth { add-url = \"http://a/b\" }"))
        .anySatisfy(p -> assertThat(p.reason()).contains("set it in each mount"));
  }
}
