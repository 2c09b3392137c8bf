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
 * <p>Players are paced {@code lag} bytes behind the live edge: they get their burst at once,
 * then each chunk once the live edge is {@code lag} past its end. The lag is the configured
 * {@code delay}, or less when the buffer holds less than burst + delay (a mount that has just
 * started, a new segment): what is held beyond the burst, so that the burst and what follows are
 * one continuous real-time stream. While the writer is away (a source or upstream gone, or no
 * chunk for a second) the allowance grows at the stream's rate instead, so players keep draining
 * the back buffer through an outage; a player that ran dry gets everything new at once when data
 * returns. A listener still in an old segment when a new one starts (a source that came back)
 * gets the old tail at once and continues in the new segment, where it gets back as much of its
 * starting margin as costs no silence beyond the gap ({@link #resume}). All methods run on the
 * channel's loop.
 */
public final class ListenerSession extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ListenerSession.class);

  /**
   * Bytes a listener may send after its request head (a player sends none): past this it is
   * closed, so a listener cannot make Floe read and discard an upload at line rate.
   */
  static final int MAX_UPLOAD = 16 * 1024;

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
  /** Bytes behind the live edge this player is paced at: the delay or less (see resume). */
  private long lag;
  private long allowed;
  private long allowedNanos;
  /** Chunks that start before this go at once, whole: the burst is never cut short by pacing. */
  private long burstEnd;
  private boolean starved;
  /** The margin this player started with (its burst and lag, bytes): a new segment restores it. */
  private long target;
  /** A lower bound of the player's own buffer, bytes: as if it played from its first byte on. */
  private long playerHeld;
  private long playerAt = System.nanoTime();

  private StreamHeader sentHeader;
  private long sent;
  private long uploaded;
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
    this.id = ListenerRegistry.nextId();
    this.skipInPending = (int) (start - cursor.position());
    pace(cursor.buffer(), start, mount.settings().burstBytes());
    this.target = Math.min(cursor.buffer().newest() - start,
        mount.settings().burstBytes() + delay);
  }

  /**
   * Paces this listener from {@code start} in {@code b}: {@code burst} bytes at once, then
   * {@code lag} behind the live edge, where the lag is what the buffer holds beyond the burst, at
   * most the delay. The burst comes first: when the buffer is still short it shortens the lag,
   * and the lag stays that short, so the burst and what follows make one continuous real-time
   * stream (a lag that grew back to the delay would be a stall for the player).
   */
  private void pace(StreamBuffer b, long start, long burst) {
    long newest = b.newest();
    burstEnd = start + burst;
    lag = Math.min(delay, Math.max(0, newest - start - burst));
    allowed = delay > 0 ? newest - lag : Long.MAX_VALUE;
    allowedNanos = System.nanoTime();
    starved = false;
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
    mount.listenerRegistry().register(s);
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
      mount.listenerRegistry().unregister(this);
      log.info("{}: listener {} moves to {}", mount.path(), id, dest.path());
      mount = dest;
      cursor = b.openBehindLive(delay);
      pending = null;
      skipInPending = 0;
      pace(b, cursor.position(), 0);
      dest.listenerRegistry().register(this);
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
      mount.counters().slowListenerDropped();
      close("fell " + behind + " bytes behind (max-lag " + mount.settings().maxLagBytes() + ")");
      return;
    }
    long before = sent;
    try {
      while (channel.isWritable()) {
        Chunk c = pending != null ? pending : next();
        if (c == null) {
          break;
        }
        if (c.end() > allowance() && c.start() >= burstEnd) {
          pending = c; // not yet: the player is paced behind the live edge
          break;
        }
        pending = null;
        write(c);
      }
    } catch (LappedException e) {
      mount.counters().slowListenerDropped();
      close(e.getMessage());
      return;
    }
    if (sent != before) {
      channel.flush();
      mount.counters().sent(sent - before);
    }
  }

  /** The next chunk, moving to the mount's new segment once the old one is read to its end. */
  private Chunk next() throws LappedException {
    Chunk c = cursor.next();
    StreamBuffer current = mount.buffer();
    if (c == null && current != null && current != cursor.buffer()) {
      cursor = current.open(current.oldest());
      resume(current);
      log.info("{}: listener {} moves to the new segment at {} (lag {} bytes, its player holds"
          + " about {})", mount.path(), id, current.oldest(), lag, playerHeld);
      c = cursor.next();
    }
    return c;
  }

  /**
   * Paces this listener from the start of a new segment (a source came back), restoring the
   * margin it started with as far as that costs no silence: a player still playing (the old
   * tail was just sent) gets up to half of what it holds beyond a second and a chunk added as
   * lag, so it plays on while the new source fills it. A player that ran dry gets the new source
   * as it comes. Without this, every gap would eat into the margin for good, and a player left
   * at the live edge hears every hiccup.
   */
  private void resume(StreamBuffer b) {
    long now = System.nanoTime();
    long held = playerHeld(now);
    // Keep a second and a chunk of its buffer for the new source's start, lend half the rest.
    long add = Math.max(0, (held - mount.bytesPerSecond() - Mount.MIN_CHUNK) / 2);
    long l = delay == 0 ? 0 : Math.max(0, Math.min(target - held, add));
    burstEnd = b.oldest();
    lag = l;
    allowed = b.newest() - l;
    allowedNanos = now;
    starved = false;
  }

  /** The player's buffer now, as the {@code playerHeld} field models it (bytes). */
  private long playerHeld(long now) {
    long played = mount.bytesPerSecond() * (now - playerAt) / 1_000_000_000L;
    playerHeld = Math.max(0, playerHeld - played);
    playerAt = now;
    return playerHeld;
  }

  /** The highest position this listener may be sent now. */
  private long allowance() {
    if (delay == 0) {
      return Long.MAX_VALUE;
    }
    StreamBuffer b = cursor.buffer();
    if (b != mount.buffer()) {
      return Long.MAX_VALUE; // a new segment started: the old one's tail goes at once
    }
    long now = System.nanoTime();
    long newest = b.newest();
    if (mount.away(now)) {
      if (newest > b.oldest()) { // nothing to drain in an empty segment (a source starting)
        allowed = Math.min(newest,
            allowed + mount.bytesPerSecond() * (now - allowedNanos) / 1_000_000_000L);
        starved |= allowed >= newest;
      }
    } else if (starved) {
      // It ran dry during an outage longer than the delay: refill the player at once, as a
      // burst does; its own buffer then covers the next switch.
      allowed = newest;
      starved = false;
    } else {
      allowed = Math.max(allowed, newest - lag);
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
    playerHeld(System.nanoTime());
    playerHeld += data.remaining();
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
      closed = true;
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
    if (msg instanceof ByteBuf b) {
      uploaded += b.readableBytes();
    }
    ReferenceCountUtil.release(msg); // players send nothing after the head
    if (uploaded > MAX_UPLOAD) {
      close("sent " + uploaded + " bytes after its request (a listener sends none; at most "
          + MAX_UPLOAD + ")");
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closed = true;
    mount.listenerRegistry().unregister(this);
    long secs = (System.nanoTime() - startNanos) / 1_000_000_000L;
    log.info("{}: listener {} from {} left after {} s, {} bytes", mount.path(), id, who, secs, sent);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Fatal.exitIfOutOfMemory(cause);
    log.debug("{}: listener {} error: {}", mount.path(), id, cause.toString());
    ctx.close();
  }
}
