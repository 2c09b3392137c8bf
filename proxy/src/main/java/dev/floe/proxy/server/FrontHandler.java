package dev.floe.proxy.server;

import dev.floe.icy.head.HeadException;
import dev.floe.icy.head.HeadLimits;
import dev.floe.icy.head.RequestHead;
import dev.floe.icy.head.RequestHeadDecoder;
import dev.floe.proxy.mount.Fatal;
import dev.floe.swarm.wire.PeerWire;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of every connection on the one port: reads the request head with
 * icy-protocol's tolerant decoder (so {@code ICE/1.0}, bare LF and ICY quirks pass) and hands the
 * head, with any bytes that followed it, to the {@link Router}, once {@link ClientResolver} has
 * read the client a trusted proxy names in it.
 *
 * <p>Bad input is answered and closed here: an oversized or malformed head gets the status its
 * {@link HeadException} names, and a client that does not finish its head within the header
 * timeout (slowloris) gets 408, and one that sends nothing within the idle timeout is closed
 * without an answer. Memory per connection is bounded by the head limits. Refusals are logged
 * through the router's {@link RefusalLog}, so a flood is a few lines a second.
 *
 * <p>A connection whose first byte is 0x00 is a swarm peer, not HTTP (no request starts so): once
 * its 8 bytes of magic are in it goes to {@link Router#peer} with everything read so far; other
 * bytes after a 0x00 get {@code 400 Bad Request}, as any other malformed request.
 */
final class FrontHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(FrontHandler.class);

  /** Bytes a peer may send before its magic is complete: the first read rarely holds more. */
  private static final int MAX_PEER_HEAD = 64 * 1024;

  private final Router router;
  private final ClientResolver clients;
  private final RequestHeadDecoder decoder;
  private final Duration headerTimeout;
  private final Duration idleTimeout;
  private ScheduledFuture<?> timeout;
  private ScheduledFuture<?> idle;
  /** The bytes of a connection that began with 0x00 (a swarm peer's magic), until 8 are in. */
  private ByteBuf peerHead;
  private boolean readAny;

  FrontHandler(Router router, ClientResolver clients, HeadLimits limits, Duration headerTimeout,
      Duration idleTimeout) {
    this.router = router;
    this.clients = clients;
    this.decoder = new RequestHeadDecoder(limits);
    this.headerTimeout = headerTimeout;
    this.idleTimeout = idleTimeout;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    timeout = ctx.executor().schedule(() -> {
      router.refusals().warn("header-timeout", Router.remote(ctx.channel())
          + ": no complete request head within " + headerTimeout.toMillis() + " ms: 408");
      router.responses().error(ctx.channel(), 408, "Request Timeout",
          "Request head not received in time");
    }, headerTimeout.toMillis(), TimeUnit.MILLISECONDS);
    idle = ctx.executor().schedule(() -> {
      router.refusals().warn("idle-timeout", Router.remote(ctx.channel())
          + ": no request within " + idleTimeout.toMillis() + " ms (idle-timeout), closing");
      ctx.close();
    }, idleTimeout.toMillis(), TimeUnit.MILLISECONDS);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf buf = (ByteBuf) msg;
    idle.cancel(false);
    boolean first = !readAny && buf.isReadable();
    readAny |= buf.isReadable();
    if (peerHead != null || (first && buf.getByte(buf.readerIndex()) == 0)) {
      sniffPeer(ctx, buf);
      return;
    }
    try {
      ByteBuffer nio = buf.nioBuffer();
      RequestHead head;
      try {
        head = decoder.decode(nio);
      } catch (HeadException e) {
        buf.skipBytes(buf.readableBytes());
        cancelTimeout();
        ctx.pipeline().remove(this);
        router.refusals().warn("bad-request " + e.status(), Router.remote(ctx.channel()) + ": bad request: "
            + e.getMessage() + " -> " + e.status());
        router.responses().error(ctx.channel(), e.status(), null, e.getMessage());
        return;
      }
      if (head == null) {
        buf.skipBytes(buf.readableBytes());
        return;
      }
      buf.skipBytes(nio.position());
      cancelTimeout();
      ctx.pipeline().remove(this);
      if (clients.fromHead(ctx.channel(), head)) { // else over its address's limit: 403 sent
        router.route(ctx.channel(), head, buf.retain());
      }
    } finally {
      ReferenceCountUtil.release(buf);
    }
  }

  /**
   * A connection whose first byte is 0x00 cannot be HTTP: it is a swarm peer when the first 8
   * bytes are the peer magic ({@link PeerWire#looksLikePeer}); a partial magic waits for more
   * within the header timeout. Owns {@code buf}.
   */
  private void sniffPeer(ChannelHandlerContext ctx, ByteBuf buf) {
    if (peerHead == null) {
      peerHead = ctx.alloc().buffer(Math.max(64, buf.readableBytes()));
    }
    try {
      if (peerHead.readableBytes() + buf.readableBytes() > MAX_PEER_HEAD) {
        refusePeer(ctx, "too many bytes before the peer magic was complete");
        return;
      }
      peerHead.writeBytes(buf);
    } finally {
      ReferenceCountUtil.release(buf);
    }
    PeerWire.Sniff sniff = PeerWire.looksLikePeer(peerHead.nioBuffer());
    if (sniff == PeerWire.Sniff.NEED_MORE) {
      return;
    }
    if (sniff == PeerWire.Sniff.NOT_PEER) {
      refusePeer(ctx, "starts with 0x00 but is not the Floe peer magic");
      return;
    }
    cancelTimeout();
    ctx.pipeline().remove(this);
    ByteBuf head = peerHead;
    peerHead = null;
    router.peer(ctx.channel(), head);
  }

  /**
   * Bytes that began with 0x00 but are not a peer's magic: as malformed as any other request that
   * is not HTTP, so they get the same {@code 400 Bad Request} (and the connection is closed).
   */
  private void refusePeer(ChannelHandlerContext ctx, String why) {
    cancelTimeout();
    releasePeerHead();
    ctx.pipeline().remove(this);
    router.refusals().warn("not-a-peer", Router.remote(ctx.channel()) + ": " + why + " -> 400");
    router.responses().error(ctx.channel(), 400, null, "Bad request: " + why);
  }

  private void releasePeerHead() {
    if (peerHead != null) {
      peerHead.release();
      peerHead = null;
    }
  }

  private void cancelTimeout() {
    if (timeout != null) {
      timeout.cancel(false);
      idle.cancel(false);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelTimeout();
    releasePeerHead();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Fatal.exitIfOutOfMemory(cause);
    log.debug("{}: {}", Router.remote(ctx.channel()), cause.toString());
    ctx.close();
  }
}
