package dev.floe.proxy.tracker;

import dev.floe.proxy.mount.Fatal;
import dev.floe.swarm.guard.RequestBucket;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import java.time.Clock;

/**
 * One tracker WebSocket, after the upgrade: text messages to the {@link Tracker}, within a
 * message rate ({@link RequestBucket}: over it a message is refused with a failure reason, far
 * over it the connection is closed); pings answered; binary frames refused; an oversized message
 * or a connection idle past the limit closed with a log line.
 */
public final class TrackerHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
  private final Tracker tracker;
  private final String who;
  private final RequestBucket rate;
  private long conn;

  /** @param who the client, as log lines name it */
  public TrackerHandler(Tracker tracker, String who, Clock clock) {
    this.tracker = tracker;
    this.who = who;
    TrackerLimits l = tracker.limits();
    this.rate = new RequestBucket(l.messagesPerSecond(), l.messageBurst(), clock);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    conn = tracker.open(ctx.channel());
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (frame instanceof PingWebSocketFrame) {
      ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
      return;
    }
    if (frame instanceof PongWebSocketFrame) {
      return;
    }
    if (frame instanceof CloseWebSocketFrame) {
      ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE))
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    switch (rate.take(1)) {
      case SERVE -> {
        if (frame instanceof TextWebSocketFrame text) {
          tracker.onText(conn, who, text.text());
        } else if (frame instanceof BinaryWebSocketFrame) {
          tracker.refuse(conn, who, "tracker-bad-message", null, null,
              "bad request: binary frame (the tracker speaks JSON text)");
        }
      }
      case REFUSE -> tracker.refuse(conn, who, "tracker-rate", null, null,
          "rate limited: at most " + tracker.limits().messagesPerSecond() + " messages a second");
      case FLOOD -> close(ctx, WebSocketCloseStatus.POLICY_VIOLATION,
          "far over the message rate, closing");
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      close(ctx, WebSocketCloseStatus.NORMAL_CLOSURE, "no message for "
          + tracker.limits().idleTimeout().toSeconds() + " s, closing");
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    tracker.close(conn);
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Fatal.exitIfOutOfMemory(cause);
    if (cause instanceof TooLongFrameException) {
      close(ctx, WebSocketCloseStatus.MESSAGE_TOO_BIG, "message over "
          + tracker.limits().maxMessageBytes() + " bytes, closing");
    } else {
      close(ctx, WebSocketCloseStatus.PROTOCOL_ERROR, cause.toString() + ", closing");
    }
  }

  private void close(ChannelHandlerContext ctx, WebSocketCloseStatus status, String why) {
    tracker.refuse(conn, who, "tracker-close", null, null, why);
    ctx.writeAndFlush(new CloseWebSocketFrame(status))
        .addListener(ChannelFutureListener.CLOSE);
  }
}
