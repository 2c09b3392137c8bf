package dev.floe.proxy.tracker;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.random.RandomGenerator;

/**
 * The one tracker of a Floe process: the {@link Swarms} of every connection behind one lock
 * (messages are few: an announce every couple of minutes per browser and one answer per offer),
 * and the connections replies go to. A reply to a connection whose outbound buffer is full is
 * dropped and counted (the offer times out in that browser, which then offers again), so a
 * browser that stops reading costs at most its write buffer. Outlives a reload of the server
 * settings.
 */
public final class Tracker {
  private final TrackerLimits limits;
  private final TrackerCodec codec;
  private final Swarms swarms;
  private final Map<Long, Channel> channels = new HashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final BiConsumer<String, String> refusals;

  /**
   * @param refusals where refusals are logged: a kind (for rate-limiting the log) and a line
   */
  public Tracker(TrackerLimits limits, RandomGenerator random,
      BiConsumer<String, String> refusals) {
    this.limits = limits;
    this.codec = new TrackerCodec(limits);
    this.swarms = new Swarms(limits, random);
    this.refusals = refusals;
  }

  public TrackerLimits limits() {
    return limits;
  }

  /** A new connection: its id. */
  long open(Channel ch) {
    long id = ids.incrementAndGet();
    synchronized (this) {
      channels.put(id, ch);
    }
    return id;
  }

  /** One text message from connection {@code conn} ({@code who} names it in the log). */
  void onText(long conn, String who, String text) {
    List<TrackerReply> replies;
    try {
      TrackerRequest request = codec.read(text);
      synchronized (this) {
        replies = swarms.onRequest(conn, request);
      }
    } catch (TrackerException e) {
      refuse(conn, who, "tracker-bad-message", e.action(), e.infoHash(), e.getMessage());
      return;
    }
    for (TrackerReply r : replies) {
      if (r instanceof TrackerReply.Failure f) {
        refused.incrementAndGet();
        refusals.accept("tracker-refused", who + ": tracker: " + f.reason());
      }
      send(r);
    }
  }

  /** Refuses a message: the failure reason to the client, a line to the log. */
  void refuse(long conn, String who, String kind, String action, String infoHash,
      String reason) {
    refused.incrementAndGet();
    refusals.accept(kind, who + ": tracker: " + reason);
    send(new TrackerReply.Failure(conn, action, infoHash, reason));
  }

  /** The connection closed. */
  void close(long conn) {
    synchronized (this) {
      channels.remove(conn);
      swarms.onClose(conn);
    }
  }

  private void send(TrackerReply r) {
    Channel ch;
    synchronized (this) {
      ch = channels.get(r.to());
    }
    if (ch == null) {
      return;
    }
    if (!ch.isWritable()) {
      dropped.incrementAndGet();
      return;
    }
    ch.writeAndFlush(new TextWebSocketFrame(TrackerCodec.write(r)));
  }

  /** Open tracker connections, swarms and peers now; replies dropped and messages refused. */
  public synchronized Stats stats() {
    return new Stats(channels.size(), swarms.swarmCount(), swarms.peerCount(), dropped.get(),
        refused.get());
  }

  /** A snapshot for status and metrics. */
  public record Stats(int connections, int swarms, int peers, long dropped, long refused) {}
}
