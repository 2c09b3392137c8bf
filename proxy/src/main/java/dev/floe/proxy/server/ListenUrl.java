package dev.floe.proxy.server;

import dev.floe.icy.head.RequestHead;
import dev.floe.proxy.mount.Mount;
import dev.floe.proxy.status.Playlists;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.util.function.IntSupplier;

/** A mount's URL on the port (and scheme) a request came in on, for playlists and status. */
final class ListenUrl {
  private final String hostname;
  private final IntSupplier boundPort;

  ListenUrl(String hostname, IntSupplier boundPort) {
    this.hostname = hostname;
    this.boundPort = boundPort;
  }

  String of(Channel ch, RequestHead req, Mount mount) {
    boolean secure = ch.pipeline().get(SslHandler.class) != null;
    int port = secure ? ((InetSocketAddress) ch.localAddress()).getPort() : boundPort.getAsInt();
    return Playlists.listenUrl(req.headers().get("Host"), hostname, port, mount.path(), secure);
  }
}
