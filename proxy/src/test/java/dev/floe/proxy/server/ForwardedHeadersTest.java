package dev.floe.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.proxy.config.AddressRange;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class ForwardedHeadersTest {
  /** The proxies: 127.0.0.1 and 10.0.0.0/8. */
  private static final Predicate<InetAddress> TRUSTED = a ->
      AddressRange.parse("127.0.0.1").contains(a) || AddressRange.parse("10.0.0.0/8").contains(a);
  private static final InetSocketAddress PROXY = new InetSocketAddress("127.0.0.1", 40000);

  private static String client(boolean forwarded, String... lines) {
    InetSocketAddress c = ForwardedHeaders.client(PROXY,
        ForwardedHeaders.hops(List.of(lines), forwarded), TRUSTED);
    return c.getAddress().getHostAddress() + (c.getPort() == 0 ? "" : ":" + c.getPort());
  }

  @Test
  void theClientIsTheRightmostAddressThatIsNotATrustedProxy() {
    assertThat(client(false, "203.0.113.7")).isEqualTo("203.0.113.7");
    // a client that forges its own X-Forwarded-For only adds on the left
    assertThat(client(false, "198.51.100.1, 203.0.113.7")).isEqualTo("203.0.113.7");
    // two proxies of ours: the one in front appended the client, the next one that proxy
    assertThat(client(false, "198.51.100.1, 203.0.113.7, 10.0.0.5")).isEqualTo("203.0.113.7");
    // several header lines read as one list
    assertThat(client(false, "198.51.100.1", "203.0.113.7, 10.0.0.5")).isEqualTo("203.0.113.7");
    assertThat(client(false, "2001:db8::7")).isEqualTo("2001:db8:0:0:0:0:0:7");
    // only trusted hops: the leftmost is the client
    assertThat(client(false, "10.0.0.9, 10.0.0.5")).isEqualTo("10.0.0.9");
  }

  @Test
  void anUnreadableHopStopsAtTheLastAddressKnown() {
    assertThat(client(false, "203.0.113.7, unknown")).isEqualTo("127.0.0.1:40000");
    assertThat(client(false, "203.0.113.7, garbage, 10.0.0.5")).isEqualTo("10.0.0.5");
    assertThat(client(false, "")).isEqualTo("127.0.0.1:40000");
    // never a DNS lookup: a host name is unreadable
    assertThat(client(false, "example.com")).isEqualTo("127.0.0.1:40000");
  }

  @Test
  void forwardedTakesTheForParameterOfEachElement() {
    assertThat(client(true, "for=192.0.2.60;proto=http;by=203.0.113.43")).isEqualTo("192.0.2.60");
    assertThat(client(true, "for=198.51.100.1, for=\"[2001:db8:cafe::17]:4711\""))
        .isEqualTo("2001:db8:cafe:0:0:0:0:17:4711");
    assertThat(client(true, "For=\"192.0.2.43:47011\", for=10.0.0.5")).isEqualTo("192.0.2.43:47011");
    assertThat(client(true, "for=_hidden")).isEqualTo("127.0.0.1:40000");
    assertThat(client(true, "proto=https")).isEqualTo("127.0.0.1:40000");
  }

  @Test
  void aHugeListIsCutOnTheForgeableLeftSide() {
    String many = "192.0.2.1, ".repeat(10_000) + "203.0.113.7";
    assertThat(ForwardedHeaders.hops(List.of(many), false)).hasSize(ForwardedHeaders.MAX_HOPS);
    assertThat(client(false, many)).isEqualTo("203.0.113.7");
  }
}
