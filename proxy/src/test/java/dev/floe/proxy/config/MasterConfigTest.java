package dev.floe.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.typesafe.config.ConfigFactory;
import dev.floe.proxy.config.InvalidConfigException.Problem;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code floe.master}: off by default, validated, every bad key named. */
class MasterConfigTest {
  private static FloeConfig parse(String hocon) throws InvalidConfigException {
    return ConfigLoader.fromConfig(ConfigFactory.parseString(hocon));
  }

  private static java.util.List<Problem> problems(String hocon) {
    return catchThrowableOfType(InvalidConfigException.class, () -> parse(hocon)).problems();
  }

  @Test
  void offByDefaultAndReadWhenSet() throws Exception {
    assertThat(parse("").master()).isNull();
    MasterSettings m = parse("floe.master { url = \"http://m.example:8010/\", password = p,"
        + " interval = 5s }").master();
    assertThat(m).isEqualTo(new MasterSettings(URI.create("http://m.example:8010/"), "relay",
        "p", Duration.ofSeconds(5)));
    assertThat(m.streamList()).isEqualTo(URI.create("http://m.example:8010/admin/streamlist.txt"));
    assertThat(m.toString()).doesNotContain("p,").doesNotContain("=p");
  }

  @Test
  void everyBadKeyIsNamed() {
    assertThat(problems("floe.master { url = \"http://m:8000/live\", password = p }"))
        .extracting(Problem::key).containsExactly("master.url");
    assertThat(problems("floe.master { url = \"ftp://m\", password = p }"))
        .extracting(Problem::key).containsExactly("master.url");
    assertThat(problems("floe.master { url = \"http://m:8000\" }"))
        .containsExactly(new Problem("master.password",
            "must be set when url is: the master's relay password"));
    assertThat(problems("floe.master { url = \"http://m\", password = p, user = \"a:b\" }"))
        .extracting(Problem::key).containsExactly("master.user");
    assertThat(problems("floe.master { url = \"http://m\", password = p, intervall = 3s }"))
        .containsExactly(new Problem("master.intervall", "unknown key (did you mean"
            + " \"interval\"?)"));
    assertThat(problems("floe.master { url = \"http://m\", password = p, interval = 0s }"))
        .extracting(Problem::key).containsExactly("master.interval");
  }
}
