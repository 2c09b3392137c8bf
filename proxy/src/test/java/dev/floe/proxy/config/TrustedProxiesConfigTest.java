package dev.floe.proxy.config;

import static dev.floe.proxy.config.Fixtures.parse;
import static dev.floe.proxy.config.Fixtures.problems;
import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.proxy.config.InvalidConfigException.Problem;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** {@code floe.server.trusted-proxies}, {@code forwarded-header}, {@code proxy-protocol}. */
class TrustedProxiesConfigTest {
  @Test
  void nothingIsTrustedByDefault() throws Exception {
    ProxySettings p = parse("").server().proxies();
    assertThat(p).isEqualTo(ProxySettings.NONE);
    assertThat(p.isTrusted(InetAddress.getByName("127.0.0.1"))).isFalse();
    assertThat(parse("").server().tls().proxyProtocol()).isFalse();
  }

  @Test
  void takesAddressesAndRangesOfBothFamilies() throws Exception {
    ProxySettings p = parse("floe.server { trusted-proxies = [\"127.0.0.1\", \"10.1.0.0/16\","
        + " \"fd00::/8\", \"::1\"], forwarded-header = Forwarded, proxy-protocol = true,"
        + " tls.proxy-protocol = true }").server().proxies();
    assertThat(p.forwardedHeader()).isEqualTo("forwarded");
    assertThat(p.proxyProtocol()).isTrue();
    for (String yes : new String[] {"127.0.0.1", "10.1.0.0", "10.1.255.255", "fd12:3456::1",
        "::1"}) {
      assertThat(p.isTrusted(InetAddress.getByName(yes))).as(yes).isTrue();
    }
    for (String no : new String[] {"127.0.0.2", "10.2.0.1", "fe80::1", "::2", "192.0.2.1"}) {
      assertThat(p.isTrusted(InetAddress.getByName(no))).as(no).isFalse();
    }
  }

  @Test
  void aRangeKeepsOnlyItsPrefixBits() {
    assertThat(AddressRange.parse("10.1.2.3/12")).hasToString("10.0.0.0/12");
    assertThat(AddressRange.parse("2001:db8::ff/120")).hasToString("2001:db8:0:0:0:0:0:0/120");
    assertThat(AddressRange.parse("0.0.0.0/0").contains(InetAddress.getLoopbackAddress()))
        .isTrue();
  }

  @Test
  void namesTheBadKey() {
    assertThat(problems("floe.server.trusted-proxies = [\"10.0.0.0/33\", \"proxy.lan\","
        + " \"1.2.3\"]")).containsExactly(
        new Problem("server.trusted-proxies[0]", "expected an IP address or a CIDR range such as"
            + " 127.0.0.1, 10.0.0.0/8 or fd00::/8, got \"10.0.0.0/33\""),
        new Problem("server.trusted-proxies[1]", "expected an IP address or a CIDR range such as"
            + " 127.0.0.1, 10.0.0.0/8 or fd00::/8, got \"proxy.lan\""),
        new Problem("server.trusted-proxies[2]", "expected an IP address or a CIDR range such as"
            + " 127.0.0.1, 10.0.0.0/8 or fd00::/8, got \"1.2.3\""));
    assertThat(problems("floe.server.forwarded-header = X-Real-IP")).containsExactly(new Problem(
        "server.forwarded-header", "expected X-Forwarded-For or Forwarded, got \"X-Real-IP\""));
    String why = "is on, but trusted-proxies is empty: the PROXY header is only read from a"
        + " trusted proxy; list the proxy's address there";
    assertThat(problems("floe.server { proxy-protocol = true, tls.proxy-protocol = true }"))
        .containsExactly(new Problem("server.proxy-protocol", why),
            new Problem("server.tls.proxy-protocol", why));
  }
}
