package dev.floe.swarm.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.swarm.wire.PeerWire.Sniff;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PeerWireTest {
  private static Sniff sniff(byte[] b) {
    ByteBuffer buf = ByteBuffer.wrap(b);
    Sniff s = PeerWire.looksLikePeer(buf);
    assertThat(buf.position()).isZero();
    return s;
  }

  private static Sniff sniff(String ascii) {
    return sniff(ascii.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void httpAndSourcesAreNotPeersFromTheirFirstByte() {
    for (String s : new String[] {"GET / HTTP/1.1\r\n", "SOURCE /live ICE/1.0\r\n", "PUT /live",
        "OPTIONS * HTTP/1.1", "hackme\r\n", "G", "P", "\u0016\u0003\u0001", "PRI * HTTP/2.0"}) {
      assertThat(sniff(s)).as(s).isEqualTo(Sniff.NOT_PEER);
      assertThat(sniff(s.substring(0, 1))).as(s).isEqualTo(Sniff.NOT_PEER);
    }
  }

  @Test
  void magicPrefixesNeedMoreAndTheWholeMagicIsAPeer() {
    byte[] m = PeerWire.magicBytes();
    assertThat(m).containsExactly(0x00, 'F', 'L', 'O', 'E', '\r', '\n', 0x1A);
    assertThat(sniff(new byte[0])).isEqualTo(Sniff.NEED_MORE);
    for (int n = 1; n < m.length; n++) {
      assertThat(sniff(java.util.Arrays.copyOf(m, n))).isEqualTo(Sniff.NEED_MORE);
      byte[] wrong = java.util.Arrays.copyOf(m, n);
      wrong[n - 1] ^= 0x20;
      assertThat(sniff(wrong)).isEqualTo(Sniff.NOT_PEER);
    }
    assertThat(sniff(m)).isEqualTo(Sniff.PEER);
    byte[] more = java.util.Arrays.copyOf(m, 20);
    assertThat(sniff(more)).isEqualTo(Sniff.PEER);
    ByteBuffer offset = ByteBuffer.wrap(java.util.Arrays.copyOf(new byte[] {'x'}, 9));
    offset.position(1);
    offset.put(m).position(1);
    assertThat(PeerWire.looksLikePeer(offset)).isEqualTo(Sniff.PEER);
  }
}
