package dev.floe.proxy.mount;

import dev.floe.buffer.Chunk;
import dev.floe.buffer.Cursor;
import dev.floe.buffer.LappedException;
import dev.floe.buffer.StreamHeader;
import dev.floe.icy.meta.Interleaver;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One player's connection to a mount, after its response head was written.
 *
 * <p>The session reads chunks from its own {@link Cursor} and writes them as read-only views of the
 * shared direct memory, split where this listener's metadata blocks fall: the audio is never
 * copied per listener. A drain writes every chunk available (as long as the socket accepts) and
 * flushes once, so one system call carries many frames. All methods run on the connection's event
 * loop.
 */
public final class ListenerSession extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ListenerSession.class);

  private final Mount mount;
  private final Channel channel;
  private final Cursor cursor;
  private final Interleaver icy;
  private final long id;
  private final String who;
  private final long startNanos = System.nanoTime();
  private StreamHeader sentHeader;
  private long sent;
  private boolean closed;

  private ListenerSession(Mount mount, Channel channel, Cursor cursor, Interleaver icy, String who) {
    this.mount = mount;
    this.channel = channel;
    this.cursor = cursor;
    this.icy = icy;
    this.who = who;
    this.id = mount.nextListenerId();
  }

  /**
   * Starts streaming to a channel whose response head has been written: the burst is sent at once
   * and live chunks follow. Must be called on the channel's event loop.
   *
   * @param metaint the listener's metadata interval, or 0 when it did not ask for metadata
   */
  public static ListenerSession start(Mount mount, Channel channel, int metaint, String who) {
    Cursor cursor = mount.buffer().openBehindLive(mount.settings().burstBytes());
    Interleaver icy = metaint > 0 ? new Interleaver(metaint) : null;
    ListenerSession s = new ListenerSession(mount, channel, cursor, icy, who);
    channel.pipeline().addLast("listener", s);
    mount.listenerJoined();
    mount.fanOut().add(s);
    log.info("{}: listener {} joined from {}", mount.path(), s.id, who);
    s.drain();
    return s;
  }

  EventLoop loop() {
    return channel.eventLoop();
  }

  /** Writes whatever the buffer holds for this listener, as far as the socket accepts it. */
  void drain() {
    if (closed) {
      return;
    }
    long behind = behind();
    if (behind > mount.settings().maxLagBytes()) {
      mount.slowListenerDropped();
      close("fell " + behind + " bytes behind (max-lag " + mount.settings().maxLagBytes() + ")");
      return;
    }
    long before = sent;
    try {
      while (channel.isWritable()) {
        Chunk c = cursor.next();
        if (c == null) {
          break;
        }
        write(c);
      }
    } catch (LappedException e) {
      mount.slowListenerDropped();
      close(e.getMessage());
      return;
    }
    if (sent != before) {
      channel.flush();
      mount.sent(sent - before);
    }
  }

  /** Bytes this listener has yet to receive: queued in Netty plus not yet taken from the buffer. */
  private long behind() {
    ChannelOutboundBuffer queued = channel.unsafe().outboundBuffer();
    return cursor.lag() + (queued == null ? 0 : queued.totalPendingWriteBytes());
  }

  private void write(Chunk c) {
    StreamHeader h = c.header();
    if (h != null && h != sentHeader) {
      writeBytes(h.data());
      sentHeader = h;
    }
    ByteBuffer data = c.data();
    if (icy == null) {
      writeBytes(data);
      return;
    }
    icy.metadata(c.metadata());
    int len = data.remaining();
    int off = 0;
    while (off < len) {
      int n = Math.min(len - off, icy.audioUntilBlock());
      writeBytes(data.duplicate().position(off).limit(off + n).slice());
      icy.audioSent(n);
      off += n;
      if (icy.blockDue()) {
        writeBytes(ByteBuffer.wrap(icy.takeBlock()));
      }
    }
  }

  private void writeBytes(ByteBuffer b) {
    sent += b.remaining();
    ByteBuf buf = b.isDirect() ? Unpooled.wrappedBuffer(b) : Unpooled.copiedBuffer(b);
    channel.write(buf, channel.voidPromise());
  }

  private void close(String why) {
    if (!closed) {
      log.warn("{}: dropping listener {} from {}: {}", mount.path(), id, who, why);
      channel.close();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      drain();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ReferenceCountUtil.release(msg); // players send nothing after the head; ignore what they do
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closed = true;
    mount.fanOut().remove(this);
    mount.listenerLeft();
    long secs = (System.nanoTime() - startNanos) / 1_000_000_000L;
    log.info("{}: listener {} from {} left after {} s, {} bytes", mount.path(), id, who, secs, sent);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("{}: listener {} error: {}", mount.path(), id, cause.toString());
    ctx.close();
  }
}
