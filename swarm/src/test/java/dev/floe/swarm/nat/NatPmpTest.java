package dev.floe.swarm.nat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class NatPmpTest {
  @Test
  void aMappingRequestIsLaidOutAsRfc6886Says() {
    byte[] r = NatPmp.mapTcpRequest(8000, 8001, 7200);
    // version 0, opcode 2 (TCP), reserved 0, internal port, suggested external port, lifetime
    assertThat(r).containsExactly(0, 2, 0, 0, 0x1F, 0x40, 0x1F, 0x41, 0, 0, 0x1C, 0x20);
    assertThat(NatPmp.addressRequest()).containsExactly(0, 0);
  }

  @Test
  void requestsOutOfRangeAreRefusedWithTheField() {
    assertThatThrownBy(() -> NatPmp.mapTcpRequest(0, 1, 60)).hasMessageContaining("internal port");
    assertThatThrownBy(() -> NatPmp.mapTcpRequest(1, 70_000, 60))
        .hasMessageContaining("external port");
    assertThatThrownBy(() -> NatPmp.mapTcpRequest(1, 1, -1)).hasMessageContaining("lifetime");
  }

  @Test
  void aMappingResponseIsRead() {
    byte[] r = mapping(0, 8000, 40_000, 3600);
    NatPmp.Mapping m = NatPmp.readMapping(r, r.length);
    assertThat(m).isEqualTo(new NatPmp.Mapping(0, 77, 8000, 40_000, 3600));
    assertThat(m.ok()).isTrue();
  }

  @Test
  void everyTruncationOfASuccessIsRefused() {
    byte[] r = mapping(0, 8000, 8000, 3600);
    for (int len = 0; len < r.length; len++) {
      int n = len;
      assertThatThrownBy(() -> NatPmp.readMapping(Arrays.copyOf(r, n), n))
          .as("length %d", n).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("bytes");
    }
  }

  @Test
  void aShortErrorAnswerStillGivesItsResultCode() {
    byte[] r = Arrays.copyOf(mapping(2, 8000, 0, 0), 8);
    NatPmp.Mapping m = NatPmp.readMapping(r, r.length);
    assertThat(m.result()).isEqualTo(2);
    assertThat(m.ok()).isFalse();
    assertThat(NatPmp.resultText(2)).contains("refused");
  }

  @Test
  void otherVersionsAndOpcodesAreRefusedByName() {
    byte[] r = mapping(0, 1, 1, 1);
    r[0] = 2; // PCP answers carry version 2
    assertThatThrownBy(() -> NatPmp.readMapping(r, r.length)).hasMessageContaining("version 2");
    byte[] udp = mapping(0, 1, 1, 1);
    udp[1] = (byte) 129;
    assertThatThrownBy(() -> NatPmp.readMapping(udp, udp.length))
        .hasMessageContaining("opcode 129");
  }

  @Test
  void anAddressResponseIsRead() throws Exception {
    byte[] r = ByteBuffer.allocate(12).put((byte) 0).put((byte) 128).putShort((short) 0)
        .putInt(5).put(new byte[] {(byte) 198, 51, 100, 9}).array();
    NatPmp.Address a = NatPmp.readAddress(r, r.length);
    assertThat(a.external()).isEqualTo(InetAddress.getByName("198.51.100.9"));
    assertThat(a.epochSeconds()).isEqualTo(5);
  }

  @Test
  void theDefaultGatewayIsReadFromTheRoutingTable() throws Exception {
    List<String> route = List.of(
        "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask",
        "eth0\t0001A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF",
        "eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000");
    assertThat(Gateways.parse(route)).contains(InetAddress.getByName("192.168.1.1"));
    assertThat(Gateways.parse(route.subList(0, 2))).isEmpty();
  }

  private static byte[] mapping(int result, int internal, int external, long lifetime) {
    return ByteBuffer.allocate(16).put((byte) 0).put((byte) 130).putShort((short) result)
        .putInt(77).putShort((short) internal).putShort((short) external).putInt((int) lifetime)
        .array();
  }
}
