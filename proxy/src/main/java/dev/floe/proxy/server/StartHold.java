package dev.floe.proxy.server;

import dev.floe.buffer.StreamBuffer;
import dev.floe.proxy.config.MountSettings;
import dev.floe.proxy.mount.Mount;
import dev.floe.proxy.mount.Segment;
import io.netty.channel.Channel;
import java.util.concurrent.TimeUnit;

/**
 * A new listener of a mount that is about to have audio is kept connected until it does, for at
 * most the mount's {@code start-hold}: a relay or swarm peer that is starting (its upstream or
 * swarm has not delivered yet), a source connected but silent so far, a playlist mount, a source
 * mount with a fallback. Most players give up after a 404 and never retry, so a node that was
 * just restarted would lose the listeners reconnecting to it. The listener gets nothing, not even
 * a status line, until the mount holds its first seconds of audio ({@link #ready}; a HEAD
 * request only waits for the first audio);
 * then it is answered as any other (headers, then the stream), and plays on without a pause. If
 * none comes in time, the mount answers as Icecast would: 404 while it has no stream, or (a source
 * connected but silent) the response head at once and the audio when it comes. Checks every 100
 * ms on the listener's own event loop; a listener that hangs up stops the checks.
 */
final class StartHold {
  private static final long CHECK_MILLIS = 100;

  private StartHold() {}

  /** Whether {@code mount} has audio a listener can be served from. */
  static boolean audible(Mount mount) {
    Segment s = mount.segment();
    return mount.info() != null && s != null && s.buffer().chunkCount() > 0;
  }

  /**
   * Whether {@code mount} holds enough for a new player to play on without a pause: its {@code
   * burst-size}, which a new player gets at once (a relayed Icecast's own burst brings it in one
   * go); on a swarm peer, whose audio comes at the stream's rate from the start, its {@code
   * listener-delay} plus half a burst (players are paced that far behind the live edge, and a
   * player served from a young peer mount got its short burst, then the stream at its rate, never
   * filled its own buffer and stalled at the first hiccup; half a burst, 2 s at the defaults, is
   * in hand). At most half its back buffer. A source or playlist mount is ready with its first
   * audio: its writer comes at the stream's rate whatever a listener waits for (an encoder that
   * sent less than a burst would hold it to the end of {@code start-hold}), and a player that
   * joins a short buffer keeps the short lag it joined with, so it does not stall.
   */
  static boolean ready(Mount mount) {
    if (!audible(mount)) {
      return false;
    }
    MountSettings m = mount.settings();
    if (!m.swarmPeer() && m.upstreams().isEmpty()) {
      return true;
    }
    StreamBuffer b = mount.segment().buffer();
    long need = Math.min(m.bufferBytes() / 2, m.swarmPeer()
        ? m.listenerDelayBytes() + m.burstBytes() / 2 : m.burstBytes());
    return b.newest() - b.oldest() >= need;
  }

  /** Whether {@code mount} is expected to get audio soon, so a listener is worth holding. */
  static boolean expectsAudio(Mount mount) {
    return !mount.settings().upstreams().isEmpty() || mount.settings().playlist() != null
        || mount.hasSource() || mount.properties().fallback() != null;
  }

  /**
   * Holds {@code ch} until {@code mount} is {@link #ready} ({@link #audible} for a HEAD) or its
   * {@code start-hold} passed,
   * then runs {@code answer} on the channel's loop (only while the channel is open).
   */
  static void hold(Channel ch, Mount mount, boolean head, Runnable answer) {
    long start = System.nanoTime();
    ch.eventLoop().schedule(() -> check(ch, mount, head, start, answer), CHECK_MILLIS,
        TimeUnit.MILLISECONDS);
  }

  /**
   * Answers when the mount is ready, or has audio and the listener waited 6/10 of {@code
   * start-hold} (a low-rate stream, e.g. Vorbis at 32 kbit/s, or one whose rate is not known
   * yet, would need longer than the hold to fill the byte figures), or at the end of the hold.
   */
  private static void check(Channel ch, Mount mount, boolean head, long start,
      Runnable answer) {
    if (!ch.isActive()) {
      return;
    }
    long waited = System.nanoTime() - start;
    long hold = mount.settings().startHold().toNanos();
    if ((head ? audible(mount) : ready(mount)) || (audible(mount) && waited >= hold / 10 * 6)
        || waited >= hold) {
      answer.run();
      return;
    }
    ch.eventLoop().schedule(() -> check(ch, mount, head, start, answer), CHECK_MILLIS,
        TimeUnit.MILLISECONDS);
  }
}
