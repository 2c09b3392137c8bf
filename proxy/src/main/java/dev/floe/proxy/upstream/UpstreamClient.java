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
import dev.floe.proxy.config.MountSettings;
import dev.floe.proxy.mount.Mount;
import dev.floe.proxy.mount.StreamInfo;
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
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls one mount's stream from its upstream (Icecast, SHOUTcast or another Floe) and feeds the
 * {@link Mount}.
 *
 * <p>It sends {@code Icy-MetaData: 1}, accepts {@code ICY 200 OK} and {@code HTTP/1.x 200},
 * follows up to {@code max-redirects} redirects, and strips the upstream's metadata blocks. When
 * the connection fails, ends, or stalls (no byte for {@code stall-timeout}), it reconnects after
 * a jittered exponential backoff between {@code reconnect-min} and {@code reconnect-max}; the
 * mount's listeners stay connected and are fed from the back buffer meanwhile.
 *
 * <p>Everything runs on one event loop, the mount's writer thread.
 */
public final class UpstreamClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(UpstreamClient.class);

  private final Mount mount;
  private final MountSettings settings;
  private final EventLoop loop;
  private final SslContext ssl;
  private final HeadLimits limits;
  private int failures;
  private Channel channel;
  private volatile boolean closed;

  public UpstreamClient(Mount mount, EventLoop loop, SslContext ssl, HeadLimits limits) {
    this.mount = mount;
    this.settings = mount.settings();
    this.loop = loop;
    this.ssl = ssl;
    this.limits = limits;
  }

  /** Starts pulling; returns at once. */
  public void start() {
    loop.execute(() -> connect(settings.upstreams().get(0), 0));
    loop.scheduleAtFixedRate(mount::tick, 100, 100, TimeUnit.MILLISECONDS);
  }

  private void connect(URI uri, int redirects) {
    if (closed) {
      return;
    }
    boolean tls = "https".equalsIgnoreCase(uri.getScheme());
    int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
    String host = uri.getHost();
    Bootstrap b = new Bootstrap()
        .group(loop)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            if (tls) {
              ch.pipeline().addLast(ssl.newHandler(ch.alloc(), host, port));
            }
            long stall = settings.stallTimeout().toMillis();
            ch.pipeline().addLast(new IdleStateHandler(stall, 0, 0, TimeUnit.MILLISECONDS));
            ch.pipeline().addLast(new Session(uri, redirects));
          }
        });
    ChannelFuture f = b.connect(host, port);
    channel = f.channel();
    f.addListener(done -> {
      if (!done.isSuccess()) {
        retry(uri + ": " + done.cause().getMessage());
      }
    });
  }

  private void retry(String why) {
    if (closed) {
      return;
    }
    failures++;
    long min = settings.reconnectMin().toMillis();
    long max = settings.reconnectMax().toMillis();
    long ceiling = Math.min(max, min << Math.min(failures - 1, 20));
    long delay = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    if (failures == 1 || failures % 20 == 0) {
      log.warn("{}: upstream failed ({}), attempt {}, retrying in {} ms; listeners stay connected",
          mount.path(), why, failures, delay);
    }
    loop.schedule(() -> connect(settings.upstreams().get(0), 0), delay, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    closed = true;
    loop.execute(() -> {
      if (channel != null) {
        channel.close();
      }
    });
  }

  /** One connection: request, response head, then the stream. */
  private final class Session extends ChannelInboundHandlerAdapter implements Deinterleaver.Listener {
    private final URI uri;
    private final int redirects;
    private final ResponseHeadDecoder decoder;
    private Deinterleaver body;
    private boolean streaming;
    private boolean followed;
    private String failure;

    Session(URI uri, int redirects) {
      this.uri = uri;
      this.redirects = redirects;
      this.decoder = new ResponseHeadDecoder(limits);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
      if (uri.getRawQuery() != null) {
        path += "?" + uri.getRawQuery();
      }
      Headers.Builder h = Headers.builder()
          .add("Host", uri.getPort() > 0 ? uri.getHost() + ":" + uri.getPort() : uri.getHost())
          .add("User-Agent", settings.userAgent())
          .add("Accept", "*/*")
          .add("Icy-MetaData", "1")
          .add("Connection", "close");
      if (uri.getRawUserInfo() != null) {
        String userInfo = java.net.URLDecoder.decode(uri.getRawUserInfo(), StandardCharsets.UTF_8);
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
        if (body == null) {
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
        if (nio.hasRemaining()) {
          failures = 0; // data flows: the next failure starts the backoff from the bottom
          body.feed(nio);
        }
      } finally {
        buf.release();
      }
    }

    /** Returns true when the body follows. */
    private boolean onHead(ChannelHandlerContext ctx, ResponseHead head) {
      int status = head.status();
      if (status >= 300 && status < 400 && head.headers().get("Location") != null) {
        if (redirects >= settings.maxRedirects()) {
          fail(ctx, "more than " + settings.maxRedirects() + " redirects");
          return false;
        }
        URI next = uri.resolve(head.headers().get("Location").trim());
        log.info("{}: upstream {} redirects to {}", mount.path(), uri, next);
        followed = true;
        ctx.close();
        connect(next, redirects + 1);
        return false;
      }
      if (status != 200) {
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
      streaming = true;
      mount.streamStarted(uri.toString(), StreamInfo.fromUpstream(head.headers()));
      log.info("{}: streaming from {} ({}, metaint {})", mount.path(), uri,
          head.headers().get("Content-Type"), metaint);
      return true;
    }

    private void fail(ChannelHandlerContext ctx, String why) {
      failure = why;
      ctx.close();
    }

    @Override
    public void audio(ByteBuffer slice) {
      mount.audio(slice);
    }

    @Override
    public void metadata(IcyMetadata meta) {
      mount.metadata(meta);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof IdleStateEvent) {
        fail(ctx, "stalled: no data for " + settings.stallTimeout().toMillis() + " ms");
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      fail(ctx, cause.toString());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (streaming) {
        mount.streamStopped();
        log.warn("{}: lost upstream {}{}", mount.path(), uri, failure == null ? "" : ": " + failure);
      }
      if (!followed) {
        retry(failure == null ? "connection closed" : failure);
      }
    }
  }
}
