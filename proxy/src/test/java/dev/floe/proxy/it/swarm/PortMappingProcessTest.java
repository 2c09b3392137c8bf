package dev.floe.proxy.it.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.proxy.it.support.FloeProcess;
import dev.floe.proxy.it.support.TestDirs;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * {@code server.port-mapping = nat-pmp} in a real Floe process: it asks the router (here a
 * NAT-PMP responder on loopback that forwards port + 1000) for its HTTP port at start, a swarm
 * origin's join address then names the forwarded port, and a stop removes the mapping.
 */
class PortMappingProcessTest {
  @Test
  void aNodeMapsItsPortAdvertisesTheForwardedOneAndUnmapsOnStop() throws Exception {
    List<byte[]> requests = new CopyOnWriteArrayList<>();
    try (DatagramSocket router = new DatagramSocket(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      Thread t = new Thread(() -> answer(router, requests), "nat-pmp-router");
      t.setDaemon(true);
      t.start();
      try (FloeProcess floe = FloeProcess.start(TestDirs.create("portmap"),
          "server.port-mapping = nat-pmp\n"
              + "server.port-mapping-gateway = \"127.0.0.1:" + router.getLocalPort() + "\"\n"
              + "mounts = [ { path = \"/live.mp3\", swarm { role = origin } } ]")) {
        int external = floe.port() + 1000;
        await().atMost(Duration.ofSeconds(20)).until(() -> floe.log().contains(
            "forwards TCP port " + external + " to this node's port " + floe.port()));
        ByteBuffer first = ByteBuffer.wrap(requests.get(0));
        assertThat(first.get(1)).as("opcode: map TCP").isEqualTo((byte) 2);
        assertThat(Short.toUnsignedInt(first.getShort(4))).isEqualTo(floe.port());
        assertThat(Integer.toUnsignedLong(first.getInt(8))).isEqualTo(7200);
        await().atMost(Duration.ofSeconds(20))
            .until(() -> floe.log().contains(":" + external + "/live.mp3#floe="));
        floe.stop();
        byte[] last = requests.get(requests.size() - 1);
        assertThat(ByteBuffer.wrap(last).getInt(8)).as("lifetime 0: removal").isZero();
      }
    }
  }

  /** Answers map requests as a router that forwards internal + 1000 (RFC 6886 3.3). */
  private static void answer(DatagramSocket socket, List<byte[]> requests) {
    byte[] buf = new byte[64];
    for (int i = 0; i < 100 && !socket.isClosed(); i++) {
      DatagramPacket in = new DatagramPacket(buf, buf.length);
      try {
        socket.receive(in);
        byte[] q = Arrays.copyOf(buf, in.getLength());
        requests.add(q);
        ByteBuffer r = ByteBuffer.wrap(q);
        int internal = Short.toUnsignedInt(r.getShort(4));
        int lifetime = r.getInt(8);
        byte[] a = ByteBuffer.allocate(16).put((byte) 0).put((byte) (128 + q[1]))
            .putShort((short) 0).putInt(1).putShort((short) internal)
            .putShort((short) (lifetime == 0 ? 0 : internal + 1000)).putInt(lifetime).array();
        socket.send(new DatagramPacket(a, a.length, in.getSocketAddress()));
      } catch (IOException e) {
        return;
      }
    }
  }
}
