package dev.floe.proxy.server;

import dev.floe.icy.head.HeadEncoder;
import dev.floe.icy.head.Headers;
import dev.floe.icy.head.RequestHead;
import dev.floe.icy.head.ResponseHead;
import dev.floe.proxy.tracker.Tracker;
import dev.floe.proxy.tracker.TrackerHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.timeout.IdleStateHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /announce}: the WebTorrent tracker of the web player's browsers, on the same port
 * (and so behind the same TLS, reverse proxy and connection limits) as everything else. Checks the
 * WebSocket upgrade (RFC 6455: {@code Upgrade: websocket}, version 13, a 16-byte key), answers
 * {@code 101 Switching Protocols}, and replaces nothing but the end of the pipeline: Netty's
 * WebSocket frame codec (masked client frames, a size limit), an aggregator for fragmented
 * messages, an idle timer, and the {@link TrackerHandler}. A request that is not an upgrade gets
 * {@code 400} (or {@code 426} for another WebSocket version) with a log line.
 */
final class TrackerEndpoint {
  static final String PATH = "/announce";
  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  private final Tracker tracker;
  private final Responses responses;
  private final RefusalLog refusals;

  /** @param tracker the process's tracker; null answers 404 (no tracker here) */
  TrackerEndpoint(Tracker tracker, Responses responses, RefusalLog refusals) {
    this.tracker = tracker;
    this.responses = responses;
    this.refusals = refusals;
  }

  /** {@code rest} holds the bytes after the head; this method owns it. */
  void handle(Channel ch, RequestHead req, ByteBuf rest) {
    if (tracker == null) {
      rest.release();
      responses.error(ch, 404, "File Not Found", "No tracker on this server");
      return;
    }
    Headers h = req.headers();
    String key = h.get("Sec-WebSocket-Key");
    String refusal = null;
    if (!"websocket".equalsIgnoreCase(trim(h.get("Upgrade")))
        || !trim(h.get("Connection")).toLowerCase(Locale.ROOT).contains("upgrade")) {
      refusal = "The tracker speaks WebSocket: GET with Upgrade: websocket";
    } else if (key == null || !isKey(key.trim())) {
      refusal = "Sec-WebSocket-Key missing or not 16 bytes in base64";
    }
    if (refusal != null) {
      rest.release();
      refusals.warn("tracker-upgrade", ClientAddress.remote(ch) + ": GET " + PATH + ": "
          + refusal + " -> 400");
      responses.error(ch, 400, "Bad Request", refusal);
      return;
    }
    if (!"13".equals(trim(h.get("Sec-WebSocket-Version")))) {
      rest.release();
      refusals.warn("tracker-upgrade", ClientAddress.remote(ch) + ": GET " + PATH
          + ": WebSocket version " + h.get("Sec-WebSocket-Version") + " -> 426");
      responses.error(ch, 426, "Upgrade Required", "WebSocket version 13 only");
      return;
    }
    Headers answer = Headers.builder()
        .add("Upgrade", "websocket")
        .add("Connection", "Upgrade")
        .add("Sec-WebSocket-Accept", accept(key.trim()))
        .build();
    ch.writeAndFlush(Unpooled.wrappedBuffer(HeadEncoder.encode(
        new ResponseHead("HTTP/1.1", 101, "Switching Protocols", answer))));
    ChannelPipeline p = ch.pipeline();
    int max = tracker.limits().maxMessageBytes();
    p.addLast("ws-decoder", new WebSocket13FrameDecoder(WebSocketDecoderConfig.newBuilder()
        .expectMaskedFrames(true).maxFramePayloadLength(max).allowExtensions(false).build()));
    p.addLast("ws-encoder", new WebSocket13FrameEncoder(false));
    p.addLast("ws-aggregator", new WebSocketFrameAggregator(max));
    p.addLast("ws-idle", new IdleStateHandler(tracker.limits().idleTimeout().toSeconds(), 0, 0,
        TimeUnit.SECONDS));
    p.addLast("tracker", new TrackerHandler(tracker, ClientAddress.remote(ch), Clock.systemUTC()));
    if (rest.isReadable()) { // frames sent right behind the head
      ChannelHandlerContext decoder = p.context("ws-decoder");
      try {
        ((WebSocket13FrameDecoder) decoder.handler()).channelRead(decoder, rest);
      } catch (Exception e) {
        decoder.fireExceptionCaught(e);
      }
    } else {
      rest.release();
    }
  }

  /** The {@code Sec-WebSocket-Accept} for a key (RFC 6455 section 4.2.2). */
  static String accept(String key) {
    try {
      byte[] sha1 = MessageDigest.getInstance("SHA-1")
          .digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(sha1);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-1", e);
    }
  }

  private static boolean isKey(String key) {
    try {
      return Base64.getDecoder().decode(key).length == 16;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String trim(String s) {
    return s == null ? "" : s.trim();
  }
}
