package dev.floe.proxy.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Free loopback ports for programs that cannot be told to bind port 0. */
public final class Ports {

  private Ports() {
  }

  /**
   * Binds 127.0.0.1:0, reads the port the kernel chose and closes the socket again. Another
   * process may grab the port before the caller binds it; callers that start a server retry.
   *
   * @return a port that was free on 127.0.0.1 a moment ago
   */
  public static int free() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
    }
  }
}
