package dev.floe.proxy.upstream;

import dev.floe.icy.head.HeadEncoder;
import dev.floe.icy.head.HeadException;
import dev.floe.icy.head.HeadLimits;
import dev.floe.icy.head.Headers;
import dev.floe.icy.head.RequestHead;
import dev.floe.icy.head.ResponseHead;
import dev.floe.icy.head.ResponseHeadDecoder;
import dev.floe.icy.meta.Deinterleaver;
import dev.floe.icy.meta.IcyMetadata;
import dev.floe.proxy.mount.Fatal;
import dev.floe.proxy.mount.Feed;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One pull from one upstream: the request (with {@code Icy-MetaData: 1} and, when Floe holds a
 * position, {@code Floe-Position}), the response head, redirects, then the body with its ICY
 * metadata stripped. It reports to its {@link Events}; it decides nothing about switching.
 * Runs on the mount's event loop.
 *
 * <p>About 420 lines because one pull's whole life (request, head, redirects, a non-audio head
 * held back, body, stall timer) is one state machine on one event loop; the parsing itself is icy-
 * protocol's codecs.
 */
final class UpstreamConnection {
  /** What a connection reports. All calls happen on the connection's event loop. */
  interface Events {
    /** A final response head (not a redirect). Return false to close the connection. */
    boolean onHead(UpstreamConnection c, ResponseHead head);

    void onAudio(UpstreamConnection c, ByteBuffer audio);

    void onMetadata(UpstreamConnection c, IcyMetadata meta);

    /**
     * The upstream answered a playlist naming {@code streams}; the connection closes after this
     * call without a failure of its own.
     */
    void onPlaylist(UpstreamConnection c, List<URI> streams);

    /** The connection ended; {@code why} says how (never null). */
    void onClosed(UpstreamConnection c, String why);
  }

  /** Fixed parameters of every pull. */
  record Options(EventLoop loop, SslContext ssl, HeadLimits limits, String userAgent,
      Duration connectTimeout, Duration idleTimeout, int maxRedirects) {}

  private final Options options;
  private final Events events;
  private int index;
  private final boolean probe;
  private boolean retriedProbe;
  private final String position;
  private URI uri;
  private Channel channel;
  private Feed feed;
  /** Audio bytes received and when the last arrived (kept for the client's splice watch). */
  long audioBytes;
  long lastAudioNanos;
  /** When the first audio byte arrived, or 0. */
  long firstAudioNanos;
  private String failure;
  private Backoff.Failure failureKind = Backoff.Failure.DROPPED;
  private boolean closed;

  /**
   * @param index the upstream's priority index
   * @param probe whether this pull only tries a higher-priority upstream
   * @param position the {@code Floe-Position} to send, or null for none
   */
  UpstreamConnection(Options options, Events events, URI uri, int index, boolean probe,
      String position) {
    this.options = options;
    this.events = events;
    this.uri = uri;
    this.index = index;
    this.probe = probe;
    this.position = position;
  }

  int index() {
    return index;
  }

  /** Moves this connection's priority index by {@code by} (entries were inserted before it). */
  void shift(int by) {
    index += by;
  }

  /** Marks a probe as the one retry of a 416 "just behind" (it is not retried again). */
  void markRetriedProbe() {
    retriedProbe = true;
  }

  boolean retriedProbe() {
    return retriedProbe;
  }

  boolean probe() {
    return probe;
  }

  URI uri() {
    return uri;
  }

  Feed feed() {
    return feed;
  }

  /** How the connection failed, for the retry schedule. */
  Backoff.Failure failureKind() {
    return failureKind;
  }

  void feed(Feed f) {
    this.feed = f;
  }

  /** Dials; failures are reported through {@link Events#onClosed}. */
  void open() {
    dial(uri, 0);
  }

  /** Closes as a refusal: the retry schedule backs off as after a 403. */
  void refuse(String why) {
    failureKind = Backoff.Failure.REFUSED;
    close(why);
  }

  /** Closes without a failure being reported as one. */
  void close(String why) {
    if (failure == null) {
      failure = why;
    }
    if (channel != null) {
      channel.close();
    }
  }

  private void dial(URI target, int redirects) {
    uri = target;
    boolean tls = "https".equalsIgnoreCase(target.getScheme());
    int port = target.getPort() > 0 ? target.getPort() : tls ? 443 : 80;
    String host = target.getHost();
    Bootstrap b = new Bootstrap()
        .group(options.loop())
        .channel(NioSocketChannel.class)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis())
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            if (tls) {
              ch.pipeline().addLast(options.ssl().newHandler(ch.alloc(), host, port));
            }
            ch.pipeline().addLast(new IdleStateHandler(options.idleTimeout().toMillis(), 0, 0,
                TimeUnit.MILLISECONDS));
            ch.pipeline().addLast(new Session(target, redirects));
          }
        });
    ChannelFuture f = b.connect(host, port);
    channel = f.channel();
    f.addListener(done -> {
      if (!done.isSuccess()) {
        finish(target + ": " + done.cause().getMessage());
      }
    });
  }

  private void finish(String why) {
    if (!closed) {
      closed = true;
      events.onClosed(this, failure != null ? failure : why);
    }
  }

  @Override
  public String toString() {
    return (probe ? "probe of " : "") + uri;
  }

  private final class Session extends ChannelInboundHandlerAdapter
      implements Deinterleaver.Listener {
    private final URI target;
    private final int redirects;
    private final ResponseHeadDecoder decoder;
    private Deinterleaver body;
    private boolean followed;
    /** A 200 head held back while its first bytes say whether it is audio. */
    private ResponseHead held;
    private byte[] sniffed;
    private int sniffedLength;
    private long contentLength = -1;

    Session(URI target, int redirects) {
      this.target = target;
      this.redirects = redirects;
      this.decoder = new ResponseHeadDecoder(options.limits());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/"
          : target.getRawPath();
      if (target.getRawQuery() != null) {
        path += "?" + target.getRawQuery();
      }
      Headers.Builder h = Headers.builder()
          .add("Host", target.getPort() > 0 ? target.getHost() + ":" + target.getPort()
              : target.getHost())
          .add("User-Agent", options.userAgent())
          .add("Accept", "*/*")
          .add("Icy-MetaData", "1")
          .add("Connection", "close");
      if (position != null) {
        h.add("Floe-Position", position);
      }
      if (target.getRawUserInfo() != null) {
        String userInfo = URLDecoder.decode(target.getRawUserInfo(), StandardCharsets.UTF_8);
        h.add("Authorization", "Basic "
            + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
      }
      byte[] req = HeadEncoder.encode(new RequestHead("GET", path, "HTTP/1.0", h.build()));
      ctx.writeAndFlush(Unpooled.wrappedBuffer(req));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf buf = (ByteBuf) msg;
      try {
        if (failure != null || followed) {
          return;
        }
        ByteBuffer nio = buf.nioBuffer();
        if (body == null && held == null) {
          ResponseHead head;
          try {
            head = decoder.decode(nio);
          } catch (HeadException e) {
            fail(ctx, "bad response head: " + e.getMessage());
            return;
          }
          if (head == null || !onHead(ctx, head)) {
            return;
          }
        }
        if (held != null) {
          sniff(ctx, nio, false);
          return;
        }
        if (nio.hasRemaining()) {
          body.feed(nio);
        }
      } finally {
        buf.release();
      }
    }

    /** Returns true when a body follows. */
    private boolean onHead(ChannelHandlerContext ctx, ResponseHead head) {
      int status = head.status();
      String location = head.headers().get("Location");
      if (status >= 300 && status < 400 && location != null) {
        if (redirects >= options.maxRedirects()) {
          fail(ctx, "more than " + options.maxRedirects() + " redirects");
          return false;
        }
        followed = true;
        ctx.close();
        dial(target.resolve(location.trim()), redirects + 1);
        return false;
      }
      if (status == 200 && !StreamPlaylist.audioType(head.headers().get("Content-Type"))) {
        held = head;
        sniffed = new byte[StreamPlaylist.SNIFF_BYTES];
        contentLength = contentLength(head);
        return true;
      }
      return start(ctx, head);
    }

    /** Body bytes of a held head: audio, a playlist or a refusal once enough are in. */
    private void sniff(ChannelHandlerContext ctx, ByteBuffer nio, boolean ended) {
      int take = Math.min(nio.remaining(), StreamPlaylist.MAX_BYTES - sniffedLength);
      if (sniffedLength + take > sniffed.length) {
        sniffed = java.util.Arrays.copyOf(sniffed,
            Math.min(StreamPlaylist.MAX_BYTES, Math.max(sniffedLength + take, sniffed.length * 2)));
      }
      nio.get(sniffed, sniffedLength, take);
      sniffedLength += take;
      boolean complete = ended || sniffedLength >= StreamPlaylist.MAX_BYTES
          || (contentLength >= 0 && sniffedLength >= contentLength);
      StreamPlaylist.Verdict v = StreamPlaylist.inspect(held.headers().get("Content-Type"),
          sniffed, sniffedLength, complete, target);
      switch (v.kind()) {
        case MORE -> { }
        case PLAYLIST -> {
          held = null;
          events.onPlaylist(UpstreamConnection.this, v.streams());
          if (failure == null) {
            failure = "resolved as a playlist";
          }
          ctx.close();
        }
        case REFUSED -> {
          held = null;
          failureKind = Backoff.Failure.REFUSED;
          fail(ctx, v.reason());
        }
        case AUDIO -> {
          ResponseHead head = held;
          held = null;
          if (start(ctx, head)) {
            body.feed(ByteBuffer.wrap(sniffed, 0, sniffedLength));
            if (nio.hasRemaining()) {
              body.feed(nio);
            }
          }
        }
        default -> throw new IllegalStateException();
      }
    }

    private static long contentLength(ResponseHead head) {
      try {
        String v = head.headers().get("Content-Length");
        return v == null ? -1 : Long.parseLong(v.trim());
      } catch (NumberFormatException e) {
        return -1;
      }
    }

    /** Reports a final head and sets up the body; returns whether it continues. */
    private boolean start(ChannelHandlerContext ctx, ResponseHead head) {
      int status = head.status();
      if (!events.onHead(UpstreamConnection.this, head)) {
        failureKind = Backoff.Failure.ofStatus(status);
        fail(ctx, "upstream answered " + status + " " + head.reason());
        return false;
      }
      int metaint = 0;
      String mi = head.headers().get("icy-metaint");
      if (mi != null) {
        try {
          metaint = Integer.parseInt(mi.trim());
        } catch (NumberFormatException e) {
          fail(ctx, "bad icy-metaint: " + mi);
          return false;
        }
      }
      body = new Deinterleaver(metaint, this);
      return true;
    }

    private void fail(ChannelHandlerContext ctx, String why) {
      if (failure == null) {
        failure = why;
      }
      ctx.close();
    }

    @Override
    public void audio(ByteBuffer slice) {
      if (failure == null) {
        events.onAudio(UpstreamConnection.this, slice);
      }
    }

    @Override
    public void metadata(IcyMetadata meta) {
      if (failure == null) {
        events.onMetadata(UpstreamConnection.this, meta);
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof IdleStateEvent) {
        fail(ctx, "stalled: no data for " + options.idleTimeout().toMillis() + " ms");
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      Fatal.exitIfOutOfMemory(cause);
      fail(ctx, cause.toString());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (held != null && failure == null) {
        sniff(ctx, ByteBuffer.allocate(0), true);
      }
      if (!followed) {
        finish("connection closed");
      }
    }
  }
}
