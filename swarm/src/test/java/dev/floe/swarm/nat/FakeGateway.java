package dev.floe.swarm.nat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A router's NAT-PMP side on 127.0.0.1 (a free UDP port), answering as RFC 6886 section 3.3
 * describes: it maps each TCP request to {@code internal + shift}, or answers {@code result}, or
 * stays silent. It records every request. Closing stops its thread.
 */
final class FakeGateway implements AutoCloseable {
  final List<byte[]> requests = new CopyOnWriteArrayList<>();
  volatile int result;
  volatile int shift;
  volatile boolean silent;
  volatile long grantedLifetime = -1; // -1: as asked
  /** Answer each request first from another port, with external port 1. */
  volatile boolean spoof;
  volatile int spoofed;
  private final DatagramSocket socket;
  private final Thread thread;
  private final long started = System.currentTimeMillis();

  FakeGateway() throws SocketException {
    socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    thread = new Thread(this::serve, "fake-nat-pmp");
    thread.setDaemon(true);
    thread.start();
  }

  InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
  }

  private void serve() {
    byte[] buf = new byte[64];
    while (!socket.isClosed()) {
      DatagramPacket in = new DatagramPacket(buf, buf.length);
      try {
        socket.receive(in);
      } catch (IOException e) {
        return;
      }
      byte[] req = Arrays.copyOf(buf, in.getLength());
      requests.add(req);
      if (silent) {
        continue;
      }
      byte[] answer = answer(req);
      try {
        if (spoof) {
          byte[] fake = answer.clone();
          fake[10] = 0;
          fake[11] = 1;
          spoofed++;
          try (DatagramSocket liar = new DatagramSocket(
              new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            liar.send(new DatagramPacket(fake, fake.length, in.getSocketAddress()));
          }
        }
        socket.send(new DatagramPacket(answer, answer.length, in.getSocketAddress()));
      } catch (IOException e) {
        return;
      }
    }
  }

  private byte[] answer(byte[] req) {
    ByteBuffer q = ByteBuffer.wrap(req);
    int op = req.length > 1 ? req[1] : 0;
    long epoch = (System.currentTimeMillis() - started) / 1000;
    if (op == NatPmp.OP_ADDRESS) {
      return ByteBuffer.allocate(12).put((byte) 0).put((byte) 128).putShort((short) result)
          .putInt((int) epoch).put(new byte[] {(byte) 203, 0, 113, 7}).array();
    }
    int internal = Short.toUnsignedInt(q.getShort(4));
    long lifetime = Integer.toUnsignedLong(q.getInt(8));
    int external = lifetime == 0 ? 0 : internal + shift;
    long granted = lifetime == 0 || grantedLifetime < 0 ? lifetime : grantedLifetime;
    return ByteBuffer.allocate(16).put((byte) 0).put((byte) (128 + op)).putShort((short) result)
        .putInt((int) epoch).putShort((short) internal).putShort((short) external)
        .putInt((int) granted).array();
  }

  /** Lifetime field of request {@code i}. */
  long lifetimeOf(int i) {
    return Integer.toUnsignedLong(ByteBuffer.wrap(requests.get(i)).getInt(8));
  }

  @Override
  public void close() throws InterruptedException {
    socket.close();
    thread.join(5000);
  }
}
