package dev.floe.proxy.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.floe.proxy.config.AddressRange;
import dev.floe.proxy.server.ForwardedHeaders;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link ForwardedHeaders} with hostile {@code X-Forwarded-For} and {@code Forwarded} lines (a
 * client behind a trusted proxy writes their left part): never an exception; at most {@code
 * MAX_HOPS} hops, each an IP literal or null; the client is the peer when the peer is not
 * trusted, else the peer or one of the hops; and the trusted ranges ({@link AddressRange}) that
 * parse print back to themselves.
 */
class ForwardedHeadersFuzzTest {
  @FuzzTest(maxDuration = "5s")
  void hops(FuzzedDataProvider data) throws Exception {
    boolean forwarded = data.consumeBoolean();
    boolean peerTrusted = data.consumeBoolean();
    AddressRange range = AddressRange.parse(data.consumeString(48));
    if (range != null) {
      assertThat(AddressRange.parse(range.toString())).isEqualTo(range);
    }
    List<String> lines = new ArrayList<>();
    int n = data.consumeInt(0, 3);
    for (int i = 0; i < n; i++) {
      lines.add(data.consumeString(512));
    }
    lines.add(data.consumeRemainingAsString());

    List<InetSocketAddress> hops = ForwardedHeaders.hops(lines, forwarded);
    assertThat(hops.size()).isLessThanOrEqualTo(ForwardedHeaders.MAX_HOPS);
    for (InetSocketAddress hop : hops) {
      if (hop != null) {
        assertThat(hop.isUnresolved()).isFalse();
        assertThat(hop.getPort()).isBetween(0, 65535);
      }
    }
    InetSocketAddress peer = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 40000);
    InetSocketAddress client = ForwardedHeaders.client(peer, hops,
        a -> (peerTrusted && a.equals(peer.getAddress())) || (range != null && range.contains(a)));
    if (!peerTrusted) {
      assertThat(client).isSameAs(peer);
    } else {
      assertThat(client == peer || hops.contains(client)).isTrue();
    }
  }
}
