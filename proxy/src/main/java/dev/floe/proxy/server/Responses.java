package dev.floe.proxy.server;

import dev.floe.icy.head.HeadEncoder;
import dev.floe.icy.head.Headers;
import dev.floe.icy.head.ResponseHead;
import dev.floe.proxy.config.ServerSettings;
import dev.floe.proxy.status.Escape;
import dev.floe.proxy.status.HttpDates;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/** Builds and writes the short, non-streaming responses: errors, status pages, playlists. */
public final class Responses {
  private final ServerSettings server;

  public Responses(ServerSettings server) {
    this.server = server;
  }

  /** The headers every response starts with, as Icecast 2.4 sends them. */
  public Headers.Builder baseHeaders() {
    Headers.Builder h = Headers.builder()
        .add("Server", server.serverId())
        .add("Connection", "Close")
        .add("Date", HttpDates.rfc1123(Instant.now()));
    for (Map.Entry<String, String> e : server.responseHeaders().entrySet()) {
      h.add(e.getKey(), e.getValue());
    }
    return h;
  }

  /** Writes a complete response with a body and closes the connection after it. */
  public void send(Channel ch, int status, String reason, String contentType, byte[] body,
      boolean headOnly) {
    send(ch, status, reason, contentType, body, headOnly, baseHeaders());
  }

  /**
   * A {@code 200 OK} with its own {@code Cache-Control} and further headers (a content encoding)
   * given as name, value pairs; the connection is closed after it.
   */
  public void sendWith(Channel ch, String contentType, byte[] body, boolean headOnly,
      String cacheControl, String... headers) {
    Headers.Builder h = baseHeaders();
    for (int i = 0; i + 1 < headers.length; i += 2) {
      h.add(headers[i], headers[i + 1]);
    }
    send(ch, 200, "OK", contentType, ByteBuffer.wrap(body), headOnly, h, cacheControl);
  }

  private void send(Channel ch, int status, String reason, String contentType, byte[] body,
      boolean headOnly, Headers.Builder headers) {
    send(ch, status, reason, contentType, ByteBuffer.wrap(body), headOnly, headers, "no-cache");
  }

  /**
   * Writes a complete {@code 200 OK} of {@code body} (from its position to its limit) with its
   * own {@code Cache-Control} (HLS: a short one for playlists, a long one for segments).
   */
  public void sendCached(Channel ch, String contentType, ByteBuffer body, boolean headOnly,
      String cacheControl) {
    send(ch, 200, "OK", contentType, body, headOnly, baseHeaders(), cacheControl);
  }

  private void send(Channel ch, int status, String reason, String contentType, ByteBuffer body,
      boolean headOnly, Headers.Builder headers, String cacheControl) {
    Headers h = headers
        .add("Content-Type", contentType)
        .add("Content-Length", Integer.toString(body.remaining()))
        .add("Cache-Control", cacheControl)
        .build();
    byte[] head = HeadEncoder.encode(new ResponseHead("HTTP/1.0", status, reason, h));
    ch.write(Unpooled.wrappedBuffer(head));
    if (!headOnly && body.hasRemaining()) {
      ch.write(Unpooled.wrappedBuffer(body));
    }
    ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
  }

  /**
   * An error page in the style of Icecast's: a small HTML body naming the problem. A null
   * {@code reason} gets the standard phrase for the status.
   */
  public void error(Channel ch, int status, String reason, String message) {
    send(ch, status, reason, "text/html; charset=utf-8", errorPage(status, message), false,
        baseHeaders());
  }

  /**
   * {@code 429 Too Many Requests} with {@code Retry-After} in whole seconds (at least 1), for a
   * client over a rate limit or locked out after wrong passwords.
   */
  public void tooManyRequests(Channel ch, long retryAfterNanos, String message) {
    long seconds = Math.max(1, (retryAfterNanos + 999_999_999L) / 1_000_000_000L);
    send(ch, 429, "Too Many Requests", "text/html; charset=utf-8", errorPage(429, message),
        false, baseHeaders().add("Retry-After", Long.toString(seconds)));
  }

  private static byte[] errorPage(int status, String message) {
    return ("<html><head><title>Error " + status + "</title></head><body><b>"
        + Escape.errorPageText(message) + "</b></body></html>\r\n")
        .getBytes(StandardCharsets.UTF_8);
  }
}
