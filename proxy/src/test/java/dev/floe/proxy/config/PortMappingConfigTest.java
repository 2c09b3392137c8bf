package dev.floe.proxy.config;

import static dev.floe.proxy.config.Fixtures.parse;
import static dev.floe.proxy.config.Fixtures.problems;
import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.proxy.config.InvalidConfigException.Problem;
import org.junit.jupiter.api.Test;

/** {@code floe.server.port-mapping} and {@code port-mapping-gateway}. */
class PortMappingConfigTest {
  @Test
  void isOffByDefaultWithTheDefaultGateway() throws Exception {
    assertThat(parse("").server().portMapping()).isEqualTo(PortMappingSettings.OFF);
  }

  @Test
  void takesNatPmpAndAGatewayWithOrWithoutAPort() throws Exception {
    assertThat(parse("floe.server.port-mapping = nat-pmp").server().portMapping())
        .isEqualTo(new PortMappingSettings(true, null, 5351));
    assertThat(parse("floe.server { port-mapping = nat-pmp, port-mapping-gateway ="
        + " \"192.168.1.1\" }").server().portMapping())
        .isEqualTo(new PortMappingSettings(true, "192.168.1.1", 5351));
    assertThat(parse("floe.server.port-mapping-gateway = \"10.0.0.1:15351\"").server()
        .portMapping()).isEqualTo(new PortMappingSettings(false, "10.0.0.1", 15351));
  }

  @Test
  void namesTheBadKey() {
    assertThat(problems("floe.server.port-mapping = upnp")).containsExactly(new Problem(
        "server.port-mapping", "expected off or nat-pmp, got \"upnp\""));
    for (String bad : new String[] {"router.lan", "192.168.1.300", "10.0.0.1:70000", "::1"}) {
      assertThat(problems("floe.server.port-mapping-gateway = \"" + bad + "\""))
          .as(bad).containsExactly(new Problem("server.port-mapping-gateway",
              "expected auto or the router's IPv4 address (with :port if not 5351), got \""
                  + bad + "\""));
    }
  }
}
