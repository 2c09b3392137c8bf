package dev.floe.proxy.server;

import dev.floe.icy.head.HeadException;
import dev.floe.icy.head.HeadLimits;
import dev.floe.icy.head.RequestHead;
import dev.floe.icy.head.RequestHeadDecoder;
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
 * head, with any bytes that followed it, to the {@link Router}.
 *
 * <p>Bad input is answered and closed here: an oversized or malformed head gets the status its
 * {@link HeadException} names, and a client that does not finish its head within the header
 * timeout (slowloris) gets 408, and one that sends nothing within the idle timeout is closed
 * without an answer. Memory per connection is bounded by the head limits. Refusals are logged
 * through the router's {@link RefusalLog}, so a flood is a few lines a second.
 */
final class FrontHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(FrontHandler.class);

  private final Router router;
  private final RequestHeadDecoder decoder;
  private final Duration headerTimeout;
  private final Duration idleTimeout;
  private ScheduledFuture<?> timeout;
  private ScheduledFuture<?> idle;

  FrontHandler(Router router, HeadLimits limits, Duration headerTimeout, Duration idleTimeout) {
    this.router = router;
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
      router.route(ctx.channel(), head, buf.retain());
    } finally {
      ReferenceCountUtil.release(buf);
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
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("{}: {}", Router.remote(ctx.channel()), cause.toString());
    ctx.close();
  }
}
