package dev.floe.proxy.source;

import dev.floe.icy.head.Headers;
import dev.floe.proxy.admin.AuthBackoff;
import dev.floe.proxy.admin.BasicAuth;
import dev.floe.proxy.config.ServerSettings;
import dev.floe.proxy.mount.Fatal;
import dev.floe.proxy.mount.Mount;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SHOUTcast v1 source connection until its audio starts:
 * <ol>
 *   <li>the source sends {@code <password>} and a line end ({@code \r\n}, {@code \r\r\n} or
 *       {@code \n}, as icecast2 tolerates); a wrong password gets {@code invalid password\r\n}
 *       (SHOUTcast's words; icecast2 closes silently) and the connection is closed;</li>
 *   <li>Floe answers {@code OK2\r\nicy-caps:11\r\n\r\n};</li>
 *   <li>the source sends {@code icy-*} and {@code content-type:} lines and a blank line;</li>
 *   <li>everything after is audio for {@code shoutcast-mount}, read by a {@link SourceSession}.</li>
 * </ol>
 * A mount in use (or, without {@code sources-create-mounts}, not configured, or past {@code
 * max-sources}) is logged and the connection closed without {@code OK2}; the mount is claimed
 * when the audio starts. The password is the shoutcast mount's {@code password}, else {@code source-password}.
 * Lines are limited to {@code max-line-bytes}, the head to {@code max-head-bytes} and the
 * handshake to {@code header-timeout}.
 */
final class ShoutcastHandshake extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ShoutcastHandshake.class);

  static final byte[] OK2 = "OK2\r\nicy-caps:11\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  static final byte[] INVALID = "invalid password\r\n".getBytes(StandardCharsets.US_ASCII);

  private final SourceIngest ingest;
  private final ServerSettings server;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private final Headers.Builder headers = Headers.builder();
  private int headBytes;
  private boolean passwordDone;
  private Mount mount;
  private boolean done;
  private ScheduledFuture<?> timeout;

  ShoutcastHandshake(SourceIngest ingest, ServerSettings server) {
    this.ingest = ingest;
    this.server = server;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    timeout = ctx.executor().schedule(() -> {
      log.warn("{}: SHOUTcast source sent no complete handshake within {} ms, closing",
          SourceIngest.remote(ctx.channel()), server.headerTimeout().toMillis());
      ctx.close();
    }, server.headerTimeout().toMillis(), TimeUnit.MILLISECONDS);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf buf = (ByteBuf) msg;
    try {
      while (!done && buf.isReadable()) {
        byte b = buf.readByte();
        if (++headBytes > server.maxHeadBytes()) {
          fail(ctx, "handshake longer than " + server.maxHeadBytes() + " bytes");
          return;
        }
        if (b != '\n') {
          if (line.size() >= server.maxLineBytes()) {
            fail(ctx, "line longer than " + server.maxLineBytes() + " bytes");
            return;
          }
          line.write(b);
          continue;
        }
        String text = stripCr(line.toString(StandardCharsets.ISO_8859_1));
        line.reset();
        if (!passwordDone) {
          password(ctx, text);
        } else if (text.isEmpty()) {
          start(ctx, buf);
        } else {
          header(text);
        }
      }
    } finally {
      ReferenceCountUtil.release(buf);
    }
  }

  private void password(ChannelHandlerContext ctx, String given) {
    String who = SourceIngest.remote(ctx.channel());
    String path = server.sources().shoutcastMount();
    Mount existing = ingest.mount(path);
    String expected = ingest.passwordFor(existing == null ? null : existing.settings());
    String ip = SourceIngest.ip(ctx.channel());
    AuthBackoff backoff = ingest.backoff();
    boolean unchecked = !backoff.mayCheck(ip); // wrong passwords held already: not looked at
    if (unchecked || !BasicAuth.passwordEquals(expected, given)) {
      Duration hold = unchecked ? Duration.ZERO : backoff.failure(ip);
      if (!unchecked) {
        log.warn("{}: SHOUTcast source for {}: invalid password{}", who, path,
            hold.isZero() ? "" : " (locked out: answered in " + hold.toMillis() + " ms)");
      }
      done = true;
      cancelTimeout();
      backoff.hold(ctx.channel(), ip, hold, () -> ctx.writeAndFlush(
          Unpooled.wrappedBuffer(INVALID)).addListener(ChannelFutureListener.CLOSE));
      return;
    }
    mount = ingest.atSourceLimit(who, path) ? null : ingest.sourceMount(path, who);
    if (mount != null && (mount.hasSource() || !mount.settings().upstreams().isEmpty())) {
      ingest.logInUse(mount, who);
      mount = null;
    }
    if (mount == null) {
      done = true;
      cancelTimeout();
      ctx.close();
      return;
    }
    passwordDone = true;
    ctx.writeAndFlush(Unpooled.wrappedBuffer(OK2));
  }

  private void header(String text) {
    int colon = text.indexOf(':');
    if (colon > 0) {
      headers.add(text.substring(0, colon).trim(), text.substring(colon + 1).trim());
    }
  }

  private void start(ChannelHandlerContext ctx, ByteBuf rest) {
    done = true;
    cancelTimeout();
    Headers h = headers.build();
    String type = h.get("content-type");
    String contentType = type == null || type.isBlank() ? "audio/mpeg" : type.trim();
    String who = SourceIngest.remote(ctx.channel());
    Mount m = mount;
    if (!m.source().claim(ctx.channel()::close)) {
      ingest.logInUse(m, who);
      ctx.close();
      return;
    }
    if (!m.source().reserve()) {
      m.source().unclaim();
      log.warn("{}: SHOUTcast source for {} refused: no memory for its back buffer", who,
          m.path());
      ctx.close();
      return;
    }
    log.info("{}: SHOUTcast source on {} ({})", who, m.path(), contentType);
    ctx.pipeline().remove(this);
    ingest.startSession(ctx.channel(), m, who, SourceIngest.streamInfo(contentType, h),
        rest.retain());
  }

  private void fail(ChannelHandlerContext ctx, String why) {
    log.warn("{}: SHOUTcast source: {}, closing", SourceIngest.remote(ctx.channel()), why);
    done = true;
    cancelTimeout();
    ctx.close();
  }

  private void cancelTimeout() {
    if (timeout != null) {
      timeout.cancel(false);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelTimeout();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Fatal.exitIfOutOfMemory(cause);
    log.debug("{}: {}", SourceIngest.remote(ctx.channel()), cause.toString());
    ctx.close();
  }

  private static String stripCr(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '\r') {
      end--;
    }
    return s.substring(0, end);
  }
}
