package dev.floe.proxy.mount;

import dev.floe.buffer.Chunk;
import dev.floe.buffer.Cursor;
import dev.floe.buffer.LappedException;
import dev.floe.buffer.StreamBuffer;
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
 * One connection reading a mount, after its response head was written: a player, or a Floe node
 * resuming by position.
 *
 * <p>The session reads chunks from its own {@link Cursor} and writes them as read-only views of
 * the shared direct memory, split where this listener's metadata blocks fall: the audio is never
 * copied per listener. A drain writes every chunk it may (as long as the socket accepts) and
 * flushes once, so one system call carries many frames.
 *
 * <p>Players are paced {@code delay} bytes behind the live edge: they get their burst at once,
 * then each chunk once the live edge is {@code delay} past its end. While the upstream is away
 * (no chunk for a second) the allowance grows at the stream's rate instead, so players keep
 * draining the back buffer through an upstream switch; a player that ran dry gets everything new
 * at once when data returns. All methods run on the channel's loop.
 */
public final class ListenerSession extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ListenerSession.class);

  private final Mount home;
  private Mount mount;
  private final Channel channel;
  private final Interleaver icy;
  private final long delay;
  private final long id;
  private final String who;
  private final String ip;
  private final String userAgent;
  private final long startNanos = System.nanoTime();
  private Cursor cursor;
  private Chunk pending;
  private int skipInPending;
  private long allowed;
  private long allowedNanos;
  /** Whether this listener moved to a new segment (then it is paced at the stream's rate). */
  private boolean moved;
  /** Chunks that start before this go at once, whole: the burst is never cut short by pacing. */
  private long burstEnd;
  private boolean starved;
  private StreamHeader sentHeader;
  private long sent;
  private boolean closed;

  private ListenerSession(Mount mount, Channel channel, Cursor cursor, long start, Interleaver icy,
      long delay, String ip, String userAgent) {
    this.home = mount;
    this.mount = mount;
    this.ip = ip;
    this.userAgent = userAgent;
    this.channel = channel;
    this.cursor = cursor;
    this.icy = icy;
    this.delay = delay;
    this.who = ip + " (" + (userAgent == null ? "-" : userAgent) + ")";
    this.id = mount.nextListenerId();
    this.skipInPending = (int) (start - cursor.position());
    // The burst comes first: when the buffer is still short, it shortens the delay instead.
    long newest = cursor.buffer().newest();
    this.allowed = delay > 0
        ? Math.min(newest, Math.max(start + mount.settings().burstBytes(), newest - delay))
        : Long.MAX_VALUE;
    this.allowedNanos = System.nanoTime();
    this.burstEnd = start + mount.settings().burstBytes();
  }

  /**
   * Starts streaming to a channel whose response head has been written. Must be called on the
   * channel's event loop.
   *
   * @param cursor a cursor opened at or before {@code start} (a chunk boundary)
   * @param start the position of the first byte to send
   * @param metaint the listener's metadata interval, or 0 when it did not ask for metadata
   * @param delay bytes behind the live edge to pace at, or 0 for none (Floe nodes)
   */
  public static ListenerSession start(Mount mount, Channel channel, Cursor cursor, long start,
      int metaint, long delay, String ip, String userAgent) {
    Interleaver icy = metaint > 0 ? new Interleaver(metaint) : null;
    ListenerSession s = new ListenerSession(mount, channel, cursor, start, icy, delay, ip,
        userAgent);
    channel.pipeline().addLast("listener", s);
    mount.register(s);
    log.info("{}: listener {} joined from {} at {}", mount.path(), s.id, s.who, start);
    s.drain();
    return s;
  }

  EventLoop loop() {
    return channel.eventLoop();
  }

  long id() {
    return id;
  }

  /** The mount this listener connected to (it may have moved to a fallback since). */
  Mount home() {
    return home;
  }

  ListenerView view() {
    return new ListenerView(id, ip, userAgent, (System.nanoTime() - startNanos) / 1_000_000_000L);
  }

  /** Closes the connection with a log line; callable from any thread. */
  void kick(String why) {
    loop().execute(() -> close(why));
  }

  /**
   * Moves this listener to another mount without closing its connection (a fallback, or the
   * admin's moveclients): it continues at the other mount's live point, paced as before.
   * Callable from any thread.
   */
  void moveTo(Mount dest) {
    loop().execute(() -> {
      StreamBuffer b = dest.buffer();
      if (closed || dest == mount || b == null) {
        return;
      }
      mount.unregister(this);
      log.info("{}: listener {} moves to {}", mount.path(), id, dest.path());
      mount = dest;
      cursor = b.openBehindLive(delay);
      burstEnd = Long.MIN_VALUE;
      pending = null;
      skipInPending = 0;
      starved = false;
      allowed = delay > 0 ? b.newest() - delay : Long.MAX_VALUE;
      allowedNanos = System.nanoTime();
      dest.register(this);
      drain();
    });
  }

  /** Writes whatever this listener may have now, as far as the socket accepts it. */
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
    long limit = allowance();
    long before = sent;
    try {
      while (channel.isWritable()) {
        Chunk c = pending != null ? pending : next();
        if (c == null) {
          break;
        }
        if (c.end() > limit && c.start() >= burstEnd) {
          pending = c; // not yet: the player is paced behind the live edge
          break;
        }
        pending = null;
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

  /** The next chunk, moving to the mount's new segment once the old one is read to its end. */
  private Chunk next() throws LappedException {
    Chunk c = cursor.next();
    StreamBuffer current = mount.buffer();
    if (c == null && current != null && current != cursor.buffer()) {
      log.info("{}: listener {} moves to the new segment at {}", mount.path(), id,
          current.oldest());
      cursor = current.open(current.oldest());
      burstEnd = Long.MIN_VALUE;
      allowed = delay > 0 ? current.newest() : Long.MAX_VALUE;
      moved = true;
      c = cursor.next();
    }
    return c;
  }

  /** The highest position this listener may be sent now. */
  private long allowance() {
    if (delay == 0) {
      return Long.MAX_VALUE;
    }
    long now = System.nanoTime();
    long newest = cursor.buffer().newest();
    if (cursor.buffer() != mount.buffer()) {
      // The mount went on in a new segment: this one never grows again, so pacing behind its
      // edge would keep the player short of its end, and out of the new segment, for good.
      allowed = newest;
    } else if (mount.stalled(now) || moved) {
      // After a move to a new segment the player holds the old one's tail: it gets the new one
      // as it comes, not a listener-delay later (that gap stalled it, issue 14's station day).
      allowed = Math.min(newest,
          allowed + mount.bytesPerSecond() * (now - allowedNanos) / 1_000_000_000L);
      starved |= allowed >= newest;
    } else if (starved) {
      // It ran dry during an outage longer than the delay: refill the player at once, as a
      // burst does; its own buffer then covers the next switch.
      allowed = newest;
      starved = false;
    } else {
      allowed = Math.max(allowed, newest - delay);
    }
    allowedNanos = now;
    return allowed;
  }

  /** Bytes this listener has yet to receive: queued in Netty plus not yet taken from the buffer. */
  private long behind() {
    ChannelOutboundBuffer queued = channel.unsafe().outboundBuffer();
    long inBuffer = pending != null ? cursor.buffer().newest() - pending.start() : cursor.lag();
    return inBuffer + (queued == null ? 0 : queued.totalPendingWriteBytes());
  }

  private void write(Chunk c) {
    StreamHeader h = c.header();
    if (h != null && h != sentHeader) {
      writeBytes(h.data());
      sentHeader = h;
    }
    ByteBuffer data = c.data();
    if (skipInPending > 0) {
      data.position(Math.min(skipInPending, data.limit()));
      data = data.slice();
      skipInPending = 0;
    }
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
    if (!b.hasRemaining()) {
      return;
    }
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
    mount.unregister(this);
    long secs = (System.nanoTime() - startNanos) / 1_000_000_000L;
    log.info("{}: listener {} from {} left after {} s, {} bytes", mount.path(), id, who, secs, sent);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("{}: listener {} error: {}", mount.path(), id, cause.toString());
    ctx.close();
  }
}
