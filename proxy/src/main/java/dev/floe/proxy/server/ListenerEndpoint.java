package dev.floe.proxy.server;

import dev.floe.buffer.Chunk;
import dev.floe.buffer.Cursor;
import dev.floe.buffer.LappedException;
import dev.floe.buffer.StreamBuffer;
import dev.floe.buffer.frame.ContentKind;
import dev.floe.icy.head.HeadEncoder;
import dev.floe.icy.head.Headers;
import dev.floe.icy.head.RequestHead;
import dev.floe.icy.head.ResponseHead;
import dev.floe.icy.meta.IcyMetadata;
import dev.floe.icy.resume.FloePosition;
import dev.floe.proxy.admin.AdminResponse;
import dev.floe.proxy.admin.BasicAuth;
import dev.floe.proxy.admin.Htpasswd;
import dev.floe.proxy.admin.UrlListenerAuth;
import dev.floe.proxy.config.ListenerAuthSettings;
import dev.floe.proxy.mount.ListenerSession;
import dev.floe.proxy.mount.Mount;
import dev.floe.proxy.mount.Segment;
import dev.floe.proxy.mount.StreamInfo;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A player or a Floe node asking for a mount's stream: admission ({@code max-listeners}),
 * listener auth (htpasswd or URL), the start hold of a mount not yet audible, the {@link
 * ResumePlan} of its {@code Floe-Position}, the response head, then a {@link ListenerSession}.
 */
final class ListenerEndpoint {
  private static final Logger log = LoggerFactory.getLogger(ListenerEndpoint.class);

  private final Responses responses;
  private final UrlListenerAuth listenerAuth;
  private final IntSupplier boundPort;

  ListenerEndpoint(Responses responses, UrlListenerAuth listenerAuth, IntSupplier boundPort) {
    this.responses = responses;
    this.listenerAuth = listenerAuth;
    this.boundPort = boundPort;
  }

  /**
   * A listener: refused with icecast2's {@code 403 max listeners reached} when the mount is
   * full, asked of the mount's listener-auth URL when it has one, then served.
   */
  void handle(Channel ch, RequestHead req, Mount mount, boolean head) {
    int max = mount.properties().maxListeners();
    if (max > 0 && mount.info() != null && mount.listeners() >= max) {
      log.info("{}: {} is full ({} listeners): 403", remote(ch), mount.path(), max);
      responses.send(ch, 403, "Forbidden", "text/plain; charset=utf-8",
          "max listeners reached".getBytes(StandardCharsets.UTF_8), head);
      return;
    }
    ListenerAuthSettings auth = mount.settings().listenerAuth();
    if (auth == null) {
      serve(ch, req, mount, head);
      return;
    }
    BasicAuth.Credentials creds = BasicAuth.parse(req.headers().get("Authorization"))
        .orElse(null);
    if (auth.htpasswd() != null) {
      if (creds != null && Htpasswd.of(auth.htpasswd()).check(creds.user(), creds.password())) {
        serve(ch, req, mount, head);
      } else {
        log.info("{}: {} refused by htpasswd listener auth ({}): 401", remote(ch), mount.path(),
            creds == null ? "no credentials" : "user \"" + creds.user() + "\"");
        AdminEndpoint.write(responses, ch, AdminResponse.unauthorized(), head);
      }
      return;
    }
    UrlListenerAuth.Listener who = new UrlListenerAuth.Listener(req.target(),
        creds == null ? null : creds.user(), creds == null ? null : creds.password(),
        ClientAddress.ip(ch), req.headers().get("User-Agent"));
    long client = UrlListenerAuth.nextClientId();
    int port = boundPort.getAsInt();
    listenerAuth.add(auth, port, client, who).thenAccept(d -> ch.eventLoop().execute(() -> {
      if (!ch.isActive()) {
        return;
      }
      if (!d.accepted()) {
        log.info("{}: {} refused by listener auth: {}", remote(ch), mount.path(), d.status());
        AdminEndpoint.write(responses, ch, d.response(), head);
        return;
      }
      long since = System.nanoTime();
      ch.closeFuture().addListener(f -> listenerAuth.remove(auth, port, client, who,
          (System.nanoTime() - since) / 1_000_000_000L));
      serve(ch, req, mount, head);
    }));
  }

  private void serve(Channel ch, RequestHead req, Mount mount, boolean head) {
    if (!(head ? StartHold.audible(mount) : StartHold.ready(mount))
        && StartHold.expectsAudio(mount)) {
      log.info("{}: {} is starting: holding the listener up to {} for its first audio", remote(ch),
          mount.path(), mount.settings().startHold());
      StartHold.hold(ch, mount, head, () -> answer(ch, req, mount, head));
      return;
    }
    answer(ch, req, mount, head);
  }

  private void answer(Channel ch, RequestHead req, Mount mount, boolean head) {
    StreamInfo info = mount.info();
    Segment seg = mount.segment();
    if (info == null || seg == null) {
      log.info("{}: {} requested before its upstream answered", remote(ch), mount.path());
      responses.error(ch, 404, "File Not Found", "Mount " + mount.path() + " is not live yet");
      return;
    }
    StreamBuffer buffer = seg.buffer();
    String askedText = req.headers().get(FloePosition.HEADER);
    FloePosition asked = FloePosition.parse(askedText);
    if (askedText != null && asked == null) {
      log.warn("{}: malformed {}: {}", remote(ch), FloePosition.HEADER, askedText);
      responses.error(ch, 400, null, "Malformed Floe-Position: expected <epoch>:<offset> or *");
      return;
    }
    ResumePlan plan = ResumePlan.of(asked, seg.epoch(), buffer.oldest(), buffer.newest(),
        mount.settings().listenerDelayBytes(), mount.settings().burstBytes());
    Cursor cursor;
    long start;
    switch (plan.kind()) {
      case BEHIND_LIVE -> {
        cursor = buffer.openBehindLive(plan.behindLive());
        start = cursor.position();
      }
      case AT -> {
        cursor = buffer.open(plan.at());
        start = plan.at();
      }
      default -> {
        notHeld(ch, mount, asked, seg, buffer);
        return;
      }
    }
    // Icecast 2.4 ignores Range on live mounts and answers 200: iOS then keeps Icy-MetaData on
    // its follow-up request, which it drops after a 206 (icecast-kh #441).
    String icyAsk = req.headers().get("Icy-MetaData");
    int metaint = icyAsk != null && !icyAsk.trim().equals("0")
        && interleavesMetadata(info.contentType()) ? mount.settings().metaint() : 0;
    Headers.Builder h = responses.baseHeaders()
        .add("Content-Type", info.contentType())
        .add("Cache-Control", "no-cache, no-store")
        .add("Expires", "Mon, 26 Jul 1997 05:00:00 GMT")
        .add("Pragma", "no-cache");
    for (Map.Entry<String, String> e : info.listenerHeaders().entries()) {
      h.add(e.getKey(), e.getValue());
    }
    if (metaint > 0) {
      h.add("icy-metaint", Integer.toString(metaint));
    }
    h.add(FloePosition.HEADER, new FloePosition(seg.epoch(), start).toString())
        .add("Floe-Window", FloePosition.window(buffer.oldest(), buffer.newest()))
        .add("Floe-Metadata", URLEncoder.encode(metadataAt(mount, buffer, start).text(),
            StandardCharsets.UTF_8));
    byte[] bytes = HeadEncoder.encode(new ResponseHead("HTTP/1.0", 200, "OK", h.build()));
    if (head) {
      ch.writeAndFlush(Unpooled.wrappedBuffer(bytes)).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    ch.write(Unpooled.wrappedBuffer(bytes));
    if (buffer.chunkCount() == 0) {
      // nothing to send with it (a source connected but silent past start-hold): the head goes
      // now, as icecast2 answers, rather than with the first audio (a silent 19 s before)
      ch.flush();
    }
    ListenerSession.start(mount, ch, cursor, start, metaint, plan.delay(), ClientAddress.ip(ch),
        req.headers().get("User-Agent"));
  }

  /** 416 with the position and window held, so a Floe node can choose again. */
  private void notHeld(Channel ch, Mount mount, FloePosition asked, Segment seg,
      StreamBuffer buffer) {
    log.info("{}: cannot resume {} at {} (epoch {}, window {}-{}): 416", remote(ch),
        mount.path(), asked, seg.epoch(), buffer.oldest(), buffer.newest());
    Headers h = responses.baseHeaders()
        .add(FloePosition.HEADER, new FloePosition(seg.epoch(), buffer.newest()).toString())
        .add("Floe-Window", FloePosition.window(buffer.oldest(), buffer.newest()))
        .add("Content-Length", "0")
        .build();
    ch.writeAndFlush(Unpooled.wrappedBuffer(HeadEncoder.encode(
            new ResponseHead("HTTP/1.0", 416, "Range Not Satisfiable", h))))
        .addListener(ChannelFutureListener.CLOSE);
  }

  /** The metadata in force at {@code position}: its chunk's, or the current one at the edge. */
  private static IcyMetadata metadataAt(Mount mount, StreamBuffer buffer, long position) {
    try {
      Chunk c = buffer.open(position).next();
      if (c != null) {
        return c.metadata();
      }
    } catch (LappedException e) {
      // evicted meanwhile: the current metadata is the best answer
    }
    return mount.metadata();
  }

  private static String remote(Channel ch) {
    return ClientAddress.remote(ch);
  }

  /**
   * Whether listeners of this type may get ICY metadata blocks: as Icecast's {@code
   * format_get_type}, not for Ogg and WebM/Matroska, which carry their metadata in the stream
   * (Floe also counts {@code audio/opus} as Ogg: its header pages are kept apart, and blocks
   * between Ogg pages break Ogg readers).
   */
  static boolean interleavesMetadata(String contentType) {
    if (ContentKind.of(contentType) == ContentKind.OGG) {
      return false;
    }
    String t = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    return !(t.startsWith("audio/webm") || t.startsWith("video/webm")
        || t.contains("/x-matroska"));
  }
}
