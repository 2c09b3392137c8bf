package dev.floe.proxy.config;

import static dev.floe.proxy.config.Fixtures.parse;
import static dev.floe.proxy.config.Fixtures.problems;
import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.proxy.config.InvalidConfigException.Problem;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code floe.server.web-player}: the web player, its reports and its browsers' tracker. */
class WebPlayerConfigTest {
  @Test
  void theDefaultsAreOnWithPeerToPeerMediaLoadersStunServers() throws Exception {
    assertThat(parse("").server().webPlayer()).isEqualTo(WebPlayerSettings.DEFAULTS);
    assertThat(WebPlayerSettings.DEFAULTS.enabled()).isTrue();
    assertThat(WebPlayerSettings.DEFAULTS.tracker()).isTrue();
  }

  @Test
  void takesEveryKey() throws Exception {
    assertThat(parse("floe.server.web-player { enabled = false, tracker = off,"
        + " stun = [\"stun:stun.example.org:3478\", \"stuns:[::1]\", \"stun:10.0.0.1\"],"
        + " report-interval = 1m, report-rate = 2, report-burst = 5, tracker-max-peers = 50,"
        + " tracker-interval = 30s }").server().webPlayer())
        .isEqualTo(new WebPlayerSettings(false, false, List.of("stun:stun.example.org:3478",
            "stuns:[::1]", "stun:10.0.0.1"), Duration.ofMinutes(1), 2, 5, 50,
            Duration.ofSeconds(30)));
    assertThat(parse("floe.server.web-player.stun = []").server().webPlayer().stun()).isEmpty();
  }

  @Test
  void namesTheBadKey() {
    assertThat(problems("floe.server.web-player.stun = \"stun:a.example\"")).containsExactly(
        new Problem("server.web-player.stun", "expected a list such as"
            + " [\"stun:stun.example.org:3478\"], got \"stun:a.example\""));
    for (String bad : new String[] {"turn:a.example", "stun:a.example:70000", "a.example",
        "stun:a b"}) {
      assertThat(problems("floe.server.web-player.stun = [\"stun:ok.example\", \"" + bad + "\"]"))
          .as(bad).containsExactly(new Problem("server.web-player.stun[1]",
              "expected a STUN URL such as stun:stun.example.org:3478, got \"" + bad + "\""));
    }
    assertThat(problems("floe.server.web-player.report-interval = 1s")).containsExactly(
        new Problem("server.web-player.report-interval", "must be 5s to 10m, got 1s"));
    assertThat(problems("floe.server.web-player.report-rate = 0")).extracting(Problem::key)
        .containsExactly("server.web-player.report-rate");
    assertThat(problems("floe.server.web-player.enabled = maybe")).extracting(Problem::key)
        .containsExactly("server.web-player.enabled");
    assertThat(problems("floe.server.web-player.tracker-interval = 5s")).containsExactly(
        new Problem("server.web-player.tracker-interval", "must be 10s to 1h, got 5s"));
    assertThat(problems("floe.server.web-player.stunn = []")).containsExactly(new Problem(
        "server.web-player.stunn", "unknown key (did you mean \"stun\"?)"));
    assertThat(problems("floe.server.web-player = true")).extracting(Problem::key)
        .containsExactly("server.web-player");
  }
}
