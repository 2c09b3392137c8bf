package dev.floe.proxy.config;

import static dev.floe.proxy.config.Fixtures.parse;
import static dev.floe.proxy.config.Fixtures.problems;
import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.proxy.config.InvalidConfigException.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The admin API credentials in {@code floe.server}. */
class AdminAuthConfigTest {

  @Test
  void defaultsAreIcecastsWithTheRelayUserDisabled() throws Exception {
    AdminAuth auth = parse("").server().adminAuth();

    assertThat(auth).isEqualTo(new AdminAuth("admin", "hackme", "relay", null));
    assertThat(auth).isEqualTo(AdminAuth.defaults());
  }

  @Test
  void everyKeyCanBeSet() throws Exception {
    AdminAuth auth = parse("""
        floe.server { admin-user = boss, admin-password = "s3cr:et", relay-user = slave
                      relay-password = "r" }
        """).server().adminAuth();

    assertThat(auth).isEqualTo(new AdminAuth("boss", "s3cr:et", "slave", "r"));
  }

  @Test
  void relayPasswordNullDisablesTheRelayUser() throws Exception {
    assertThat(parse("floe.server.relay-password = null").server().adminAuth().relayPassword())
        .isNull();
  }

  @Test
  void toStringHidesPasswords() throws Exception {
    String text = parse("floe.server { admin-password = topsecret, relay-password = alsosecret }")
        .server().adminAuth().toString();

    assertThat(text).doesNotContain("topsecret").doesNotContain("alsosecret").contains("admin");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "floe.server.admin-user = \"\"          | server.admin-user     | must not be empty",
      "floe.server.admin-user = \"a:b\"       | server.admin-user     | must not contain ':'",
      "floe.server.admin-user = null          | server.admin-user     | must be set, got null",
      "floe.server.admin-password = \"\"      | server.admin-password | must not be empty",
      "floe.server.admin-password = null      | server.admin-password | must be set, got null",
      "floe.server.admin-password = [1]       | server.admin-password | expected a string",
      "floe.server.relay-user = \"r:x\"       | server.relay-user     | must not contain ':'",
      "floe.server.relay-password = \"\"      | server.relay-password | must not be empty",
      "floe.server.relay-password = \"a\\nb\" | server.relay-password | control characters",
      "floe.server.adminpassword = x          | server.adminpassword  | did you mean \"admin-password\"?",
      "floe.mount-defaults.admin-user = x     | mount-defaults.admin-user | it is a server setting",
  })
  void badValuesAreNamed(String hocon, String key, String reason) {
    assertThat(problems(hocon)).anySatisfy(p -> {
      assertThat(p.key()).isEqualTo(key);
      assertThat(p.reason()).contains(reason);
    });
  }

  @Test
  void aProblemListsOnlyTheBadKey() {
    assertThat(problems("floe.server.admin-password = \"\""))
        .extracting(Problem::key).containsExactly("server.admin-password");
  }
}
