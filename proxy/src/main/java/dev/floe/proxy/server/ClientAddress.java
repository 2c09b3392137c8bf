package dev.floe.proxy.server;

import dev.floe.swarm.node.SwarmNode;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Who a connection is for: the client a trusted reverse proxy named (by the PROXY protocol or a
 * forwarded header, {@link ClientResolver}), else the socket's peer. Limits, logs, {@code
 * listclients}, listener auth and lockouts all ask here.
 */
public final class ClientAddress {
  /** The swarm's key, so a peer handed to the swarm keeps its address there too. */
  private static final AttributeKey<InetSocketAddress> CLIENT = SwarmNode.CLIENT_ADDRESS;

  private ClientAddress() {}

  /** The client's IP address alone, as Icecast lists it. */
  public static String ip(Channel ch) {
    SocketAddress a = of(ch);
    return a instanceof InetSocketAddress i ? i.getAddress().getHostAddress() : String.valueOf(a);
  }

  /** The client's address and port for log lines (the address alone when the port is unknown). */
  public static String remote(Channel ch) {
    SocketAddress a = of(ch);
    if (a instanceof InetSocketAddress i) {
      String ip = i.getAddress().getHostAddress();
      return i.getPort() == 0 ? ip : ip + ":" + i.getPort();
    }
    return String.valueOf(a);
  }

  /** The client named by a trusted proxy, else the peer. */
  static SocketAddress of(Channel ch) {
    InetSocketAddress named = ch.attr(CLIENT).get();
    return named != null ? named : ch.remoteAddress();
  }

  /** Whether a trusted proxy has named this connection's client. */
  static boolean named(Channel ch) {
    return ch.attr(CLIENT).get() != null;
  }

  /** Records the client a trusted proxy named. */
  static void set(Channel ch, InetSocketAddress client) {
    ch.attr(CLIENT).set(client);
  }
}
