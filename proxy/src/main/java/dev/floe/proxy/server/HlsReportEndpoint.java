package dev.floe.proxy.server;

import dev.floe.icy.head.Headers;
import dev.floe.icy.head.RequestHead;
import dev.floe.proxy.hls.HlsOffload;
import dev.floe.proxy.hls.OffloadReport;
import dev.floe.proxy.mount.Mount;
import dev.floe.proxy.mount.MountRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /<mount>.hls/report}: a web player's counters ({@link OffloadReport}), added to the
 * mount's {@link HlsOffload}. Bounded and rate-limited: a body of at most {@link #MAX_BODY} bytes
 * with a {@code Content-Length} (else 413, or 411 without one), within the header timeout (else
 * 408); one report per token of the address's {@link TokenBuckets} (else 429 with {@code
 * Retry-After}); a malformed or implausible report gets 400. Every refusal is counted on the
 * mount and logged (rate-limited); nothing of a refused report is counted. A good one gets 204.
 */
final class HlsReportEndpoint {
  static final String SUFFIX = ".hls/report";
  /** The largest report body: a full one with 8 offenders is about 700 bytes. */
  static final int MAX_BODY = 1024;

  private final MountRegistry mounts;
  private final Responses responses;
  private final RefusalLog refusals;
  private final HlsOffload offload;
  private final TokenBuckets rate;
  private final Duration bodyTimeout;

  HlsReportEndpoint(MountRegistry mounts, Responses responses, RefusalLog refusals,
      HlsOffload offload, TokenBuckets rate, Duration bodyTimeout) { // rate null: player off
    this.mounts = mounts;
    this.responses = responses;
    this.refusals = refusals;
    this.offload = offload;
    this.rate = rate;
    this.bodyTimeout = bodyTimeout;
  }

  /** Whether {@code req} is a player's report (a POST to a path ending in {@code .hls/report}). */
  static boolean accepts(RequestHead req) {
    return req.method().equals("POST") && req.path().endsWith(SUFFIX);
  }

  /** {@code rest} holds the bytes after the head; this method owns it. */
  void handle(Channel ch, RequestHead req, ByteBuf rest) {
    String path = req.path();
    Mount mount = mounts.get(path.substring(0, path.length() - SUFFIX.length()));
    if (rate == null || mount == null || mount.properties().hidden()) {
      rest.release();
      refusals.warn("hls-report", ClientAddress.remote(ch) + ": POST " + path + ": no such mount"
          + " -> 404");
      responses.error(ch, 404, "File Not Found", rate == null
          ? "The web player is off here (server.web-player.enabled)" : "No mount for this report");
      return;
    }
    String m = mount.path();
    long wait = rate.take(ClientAddress.ip(ch));
    if (wait > 0) {
      rest.release();
      refuse(ch, m, "too many reports from this address", 429, wait);
      return;
    }
    Headers h = req.headers();
    String length = h.get("Content-Length");
    if (h.get("Transfer-Encoding") != null || length == null) {
      rest.release();
      refuse(ch, m, "no Content-Length", 411, 0);
      return;
    }
    int n;
    try {
      long l = Long.parseLong(length.trim());
      n = l > MAX_BODY ? -1 : (int) l;
      if (l < 0) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      rest.release();
      refuse(ch, m, "Content-Length not a number", 400, 0);
      return;
    }
    if (n < 0) {
      rest.release();
      refuse(ch, m, "body of " + length.trim() + " bytes, more than " + MAX_BODY, 413, 0);
      return;
    }
    if (rest.readableBytes() >= n) {
      byte[] body = ByteBufUtil.getBytes(rest, rest.readerIndex(), n);
      rest.release();
      report(ch, mount, body);
      return;
    }
    ByteBuf got = ch.alloc().buffer(n);
    got.writeBytes(rest);
    rest.release();
    ch.pipeline().addLast("hls-report", new Body(mount, n, got));
  }

  /** Collects the rest of a body of {@code n} bytes, then reports; 408 when it is late. */
  private final class Body extends ChannelInboundHandlerAdapter {
    private final Mount mount;
    private final int n;
    private final ByteBuf got;
    private ScheduledFuture<?> timeout;

    Body(Mount mount, int n, ByteBuf got) {
      this.mount = mount;
      this.n = n;
      this.got = got;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      timeout = ctx.executor().schedule(() -> {
        done(ctx);
        refuse(ctx.channel(), mount.path(), "body not received within "
            + bodyTimeout.toMillis() + " ms", 408, 0);
      }, bodyTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf in = (ByteBuf) msg;
      try {
        if (got.refCnt() == 0) {
          return; // answered already
        }
        got.writeBytes(in, Math.min(in.readableBytes(), n - got.readableBytes()));
      } finally {
        ReferenceCountUtil.release(in);
      }
      if (got.readableBytes() >= n) {
        byte[] body = ByteBufUtil.getBytes(got, got.readerIndex(), n);
        done(ctx);
        report(ctx.channel(), mount, body);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      done(ctx);
      ctx.fireChannelInactive();
    }

    private void done(ChannelHandlerContext ctx) {
      if (timeout != null) {
        timeout.cancel(false);
      }
      if (got.refCnt() > 0) {
        got.release();
      }
    }
  }

  private void report(Channel ch, Mount mount, byte[] body) {
    OffloadReport r;
    try {
      r = OffloadReport.parse(body);
    } catch (OffloadReport.Invalid e) {
      refuse(ch, mount.path(), e.getMessage(), 400, 0);
      return;
    }
    String why = r.implausible(mount.bytesPerSecond());
    if (why != null) {
      refuse(ch, mount.path(), "implausible: " + why, 400, 0);
      return;
    }
    offload.reported(mount.path(), r);
    responses.send(ch, 204, "No Content", "text/plain; charset=utf-8", new byte[0], false);
  }

  private void refuse(Channel ch, String mount, String why, int status, long retryNanos) {
    offload.refused(mount);
    refusals.warn("hls-report", ClientAddress.remote(ch) + ": report of " + mount + " refused: "
        + why + " -> " + status);
    if (status == 429) {
      responses.tooManyRequests(ch, retryNanos, "Too many reports; try again later");
    } else {
      String reason = switch (status) {
        case 408 -> "Request Timeout";
        case 411 -> "Length Required";
        case 413 -> "Payload Too Large";
        default -> "Bad Request";
      };
      responses.error(ch, status, reason, "Report refused: " + why);
    }
  }
}
