package dev.floe.proxy.source;

import dev.floe.icy.head.HeadEncoder;
import dev.floe.icy.head.Headers;
import dev.floe.icy.head.ResponseHead;
import dev.floe.proxy.admin.BasicAuth;
import dev.floe.proxy.server.Responses;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.nio.charset.StandardCharsets;

/** The responses a source gets, byte for byte as icecast2 2.4.4 writes them (checked against it). */
final class SourceReplies {
  /** What a source may do on a mount: libshout reads it to choose PUT over SOURCE. */
  static final String ALLOW = "GET, PUT, OPTIONS, SOURCE";

  /** What Icecast answers a source it accepted; the audio follows. */
  static final byte[] OK = "HTTP/1.0 200 OK\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  /** The interim answer to {@code Expect: 100-continue}. */
  static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\nContent-Length: 0\r\n\r\n"
      .getBytes(StandardCharsets.US_ASCII);

  private final Responses responses;

  SourceReplies(Responses responses) {
    this.responses = responses;
  }

  /** {@code 401} with Icecast's challenge, and {@code Allow} so libshout picks PUT. */
  void unauthorized(Channel ch) {
    Headers h = start("text/plain; charset=utf-8")
        .add("WWW-Authenticate", BasicAuth.CHALLENGE)
        .add("Allow", ALLOW)
        .build();
    send(ch, 401, "Authentication Required", h, "You need to authenticate\r\n");
  }

  /** {@code 403} with Icecast's message as a plain-text body (no line end, as Icecast). */
  void forbidden(Channel ch, String message) {
    send(ch, 403, "Forbidden", start("text/plain; charset=utf-8").build(), message);
  }

  /** {@code 503} with a plain-text message: a source refused for lack of memory. */
  void unavailable(Channel ch, String message) {
    send(ch, 503, "Service Unavailable", start("text/plain; charset=utf-8").build(), message);
  }

  /** Icecast's HTML error page, e.g. {@code 400 Unrecognised command} for libshout's poke. */
  void htmlError(Channel ch, int status, String reason, String message) {
    String body = "<html><head><title>Error " + status + "</title></head><body><b>" + status
        + " - " + message + "</b></body></html>\r\n";
    send(ch, status, reason, start("text/html; charset=utf-8").build(), body);
  }

  /**
   * {@code OPTIONS *}: what Icecast 2.5 answers without TLS (the {@code Upgrade: TLS/1.0} offer is
   * ignored): 204 with the methods a source may use.
   */
  void options(Channel ch) {
    Headers h = responses.baseHeaders()
        .add("Allow", ALLOW)
        .add("Accept-Encoding", "identity")
        .add("Content-Length", "0")
        .build();
    ch.writeAndFlush(Unpooled.wrappedBuffer(HeadEncoder.encode(
            new ResponseHead("HTTP/1.0", 204, "No Content", h))))
        .addListener(ChannelFutureListener.CLOSE);
  }

  private Headers.Builder start(String contentType) {
    return responses.baseHeaders().add("Content-Type", contentType);
  }

  private static void send(Channel ch, int status, String reason, Headers headers, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    Headers h = headers.toBuilder()
        .add("Cache-Control", "no-cache, no-store")
        .add("Expires", "Mon, 26 Jul 1997 05:00:00 GMT")
        .add("Pragma", "no-cache")
        .add("Content-Length", Integer.toString(bytes.length))
        .build();
    ch.write(Unpooled.wrappedBuffer(HeadEncoder.encode(
        new ResponseHead("HTTP/1.0", status, reason, h))));
    ch.writeAndFlush(Unpooled.wrappedBuffer(bytes)).addListener(ChannelFutureListener.CLOSE);
  }
}
