package dev.floe.proxy.server;

import dev.floe.icy.head.RequestHead;
import dev.floe.proxy.config.ProxySettings;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.function.Supplier;
import java.util.List;

/**
 * Finds the client behind a trusted reverse proxy ({@link ProxySettings}) and counts it towards
 * its address's connection limit once known. A connection from anyone else is its own client,
 * counted when accepted; one from a trusted proxy is counted (under the client's address) when
 * the proxy names the client: in the PROXY protocol header on a port marked for it ({@link
 * #addProxyProtocol}), else in the forwarded header of the request head ({@link #fromHead}). A
 * connection the proxy makes for itself (a health check, the PROXY protocol's LOCAL command, a
 * request without the header) is the proxy's own and, like an exempt address, not counted per
 * address.
 */
final class ClientResolver {
  private final ProxySettings proxies;
  private final ConnectionLimiter limiter;
  private final Supplier<Router> router;

  /** @param router the router current now (a reload replaces it) */
  ClientResolver(ProxySettings proxies, ConnectionLimiter limiter, Supplier<Router> router) {
    this.proxies = proxies;
    this.limiter = limiter;
    this.router = router;
  }

  /** Whether the socket's peer is a trusted proxy. */
  boolean fromTrustedProxy(Channel ch) {
    return ch.remoteAddress() instanceof InetSocketAddress a
        && proxies.isTrusted(a.getAddress());
  }

  /**
   * Adds the PROXY protocol (v1 and v2, Netty's decoder) in front of the connection's pipeline:
   * the header is read before anything else, TLS included, and names the client.
   */
  void addProxyProtocol(Channel ch) {
    ch.pipeline().addLast("proxy-protocol", new HAProxyMessageDecoder());
    ch.pipeline().addLast("proxy-client", new ProxyHeader());
  }

  /**
   * Takes the client from the request's forwarded header when the connection comes from a
   * trusted proxy and the PROXY protocol has not named it already; false when the client's
   * address is over its connection limit (the connection was answered 403).
   */
  boolean fromHead(Channel ch, RequestHead head) {
    if (ClientAddress.named(ch) || !fromTrustedProxy(ch)) {
      return true;
    }
    List<String> lines = head.headers().getAll(proxies.forwardedHeader());
    if (lines.isEmpty()) {
      return true;
    }
    InetSocketAddress client = ForwardedHeaders.client((InetSocketAddress) ch.remoteAddress(),
        ForwardedHeaders.hops(lines, proxies.forwardedHeader().equals("forwarded")),
        proxies::isTrusted);
    return named(ch, client);
  }

  /** Records {@code client} for {@code ch} and counts it unless it is a trusted proxy too. */
  private boolean named(Channel ch, InetSocketAddress client) {
    ClientAddress.set(ch, client);
    return proxies.isTrusted(client.getAddress())
        || limiter.admitAddress(ch, ClientAddress.ip(ch), router.get().responses());
  }

  /** Takes the decoded PROXY header, names the client, and leaves the pipeline. */
  private final class ProxyHeader extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof HAProxyMessage m)) {
        ctx.fireChannelRead(msg);
        return;
      }
      try {
        ctx.pipeline().remove(this);
        if (m.command() == HAProxyCommand.PROXY && m.sourceAddress() != null) {
          InetSocketAddress client = ForwardedHeaders.address(
              m.sourceAddress().indexOf(':') >= 0 ? "[" + m.sourceAddress() + "]:" + m.sourcePort()
                  : m.sourceAddress() + ":" + m.sourcePort());
          if (client != null && !named(ctx.channel(), client)
              && ctx.pipeline().get("front") != null) {
            ctx.pipeline().remove("front"); // answered 403: what follows is not read
          }
        }
      } finally {
        ReferenceCountUtil.release(m);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      router.get().refusals().warn("proxy-protocol", ClientAddress.remote(ctx.channel())
          + ": a trusted proxy on a proxy-protocol port sent no valid PROXY header ("
          + cause.getMessage() + "), closing");
      ctx.close();
    }
  }
}
