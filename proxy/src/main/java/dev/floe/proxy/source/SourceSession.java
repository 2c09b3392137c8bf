package dev.floe.proxy.source;

import dev.floe.buffer.frame.ContentKind;
import dev.floe.proxy.mount.Fatal;
import dev.floe.proxy.mount.Feed;
import dev.floe.proxy.mount.Mount;
import dev.floe.proxy.mount.StreamInfo;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connected source: the last handler of its channel. Every byte read is audio for the
 * mount's {@link Feed} (sources send no ICY metadata and no length or chunking), until the source
 * closes. Runs on the channel's event loop, which is the mount's writer while the source is
 * connected: it calls {@link Mount#tick()} every 100 ms and closes a source silent for {@link
 * #SOURCE_TIMEOUT}. When the connection ends, {@link
 * dev.floe.proxy.mount.SourceSlot#end} moves or keeps the
 * listeners.
 */
final class SourceSession extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(SourceSession.class);

  /** A source silent this long is disconnected (Icecast's default {@code <source-timeout>}). */
  static final Duration SOURCE_TIMEOUT = Duration.ofSeconds(10);

  private static final long TICK_MILLIS = 100;

  private final Mount mount;
  private final Feed feed;
  private final String who;
  private final FrameSniffer sniffer;
  private final long startNanos = System.nanoTime();
  private long lastByteNanos = startNanos;
  private long bytes;
  private boolean timedOut;
  private ScheduledFuture<?> ticker;

  private SourceSession(Mount mount, Feed feed, String who, StreamInfo info) {
    this.mount = mount;
    this.feed = feed;
    this.who = who;
    this.sniffer = new FrameSniffer(ContentKind.of(info.contentType()));
  }

  /**
   * Starts feeding {@code mount} (already claimed for this channel) from {@code ch}. Call on the
   * channel's event loop, after the reply that accepts the source was written. {@code first}
   * holds the bytes that came with the request head; this method owns it.
   */
  static void start(Channel ch, Mount mount, String who, StreamInfo info, ByteBuf first) {
    Feed feed = mount.startSource(who, info);
    SourceSession s = new SourceSession(mount, feed, who, info);
    ch.pipeline().addLast("source", s);
    s.ticker = ch.eventLoop().scheduleAtFixedRate(() -> s.tick(ch), TICK_MILLIS, TICK_MILLIS,
        TimeUnit.MILLISECONDS);
    ch.closeFuture().addListener(f -> s.ended(ch));
    try {
      if (first.isReadable()) {
        s.audio(first);
      }
    } finally {
      first.release();
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof ByteBuf buf && buf.isReadable()) {
        audio(buf);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void audio(ByteBuf buf) {
    int n = buf.readableBytes();
    bytes += n;
    lastByteNanos = System.nanoTime();
    java.nio.ByteBuffer nio = buf.nioBuffer();
    if (sniffer.verdict() == FrameSniffer.Verdict.UNDECIDED
        && sniffer.feed(nio) == FrameSniffer.Verdict.GARBAGE) {
      log.warn("{}: source {} sends no {} frames in its first {} bytes: passing them on as they"
          + " are", mount.path(), who, mount.info() == null ? "audio" : mount.info().contentType(),
          FrameSniffer.LIMIT);
    }
    feed.audio(nio);
  }

  private void tick(Channel ch) {
    mount.tick();
    if (!timedOut && System.nanoTime() - lastByteNanos > SOURCE_TIMEOUT.toNanos()) {
      timedOut = true;
      log.warn("{}: source {} sent nothing for {} s: disconnecting it", mount.path(), who,
          SOURCE_TIMEOUT.toSeconds());
      ch.close();
    }
  }

  /** The connection closed (by the source, a timeout, a kill or shutdown). */
  private void ended(Channel ch) {
    if (ticker != null) {
      ticker.cancel(false);
    }
    long millis = (System.nanoTime() - startNanos) / 1_000_000;
    log.info("{}: source {} ended after {} bytes in {} ms{}", mount.path(), who, bytes, millis,
        sniffer.verdict() == FrameSniffer.Verdict.UNDECIDED && bytes > 0
            ? " (no complete frame recognised)" : "");
    mount.source().end(feed, ch.eventLoop());
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Fatal.exitIfOutOfMemory(cause);
    log.info("{}: source {} connection error: {}", mount.path(), who, cause.toString());
    ctx.close();
  }
}
