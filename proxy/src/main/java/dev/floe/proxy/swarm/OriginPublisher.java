package dev.floe.proxy.swarm;

import dev.floe.buffer.Chunk;
import dev.floe.buffer.StreamHeader;
import dev.floe.icy.meta.IcyMetadata;
import dev.floe.proxy.mount.Mount;
import dev.floe.proxy.mount.Segment;
import dev.floe.swarm.chunk.MetadataRecord;
import dev.floe.swarm.node.SwarmNode;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The origin's side of the mount: each chunk appended to the back buffer (frame-aligned, 8-64
 * KiB, at its absolute position) is published to the swarm with {@code seq} = its index within
 * the epoch, and a title change is published, in force from the chunk that first carries it.
 * An Ogg stream's header pages ({@link Chunk#header()}, kept apart from the chunks) are published
 * before the first chunk that carries them and again whenever the chunk's header object changes
 * (a chained stream, a new epoch); MP3 and AAC chunks have none and publish none. Runs on the
 * mount's writer thread; never blocks.
 */
public final class OriginPublisher implements Mount.Appended {
  private static final Logger log = LoggerFactory.getLogger(OriginPublisher.class);

  private final Mount mount;
  private final SwarmNode node;
  private final SwarmErrors errors;
  private String epoch;
  private long seq;
  private IcyMetadata published;
  private StreamHeader publishedHeader;

  /** Publishes {@code mount}'s chunks to {@code node}. */
  public OriginPublisher(Mount mount, SwarmNode node) {
    this.mount = mount;
    this.node = node;
    this.errors = new SwarmErrors(mount.path());
  }

  /** The records that could not be published. */
  public SwarmErrors errors() {
    return errors;
  }

  @Override
  public void appended(Segment segment, Chunk chunk) {
    if (!segment.epoch().equals(epoch)) {
      if (!Epochs.exact(segment.epoch())) {
        log.warn("{}: epoch {} (from a Floe upstream) is wider than the swarm's 32 bits: peers"
            + " that fall back cannot resume from this mount exactly", mount.path(),
            segment.epoch());
      }
      epoch = segment.epoch();
      seq = 0;
      published = null;
      publishedHeader = null;
    }
    publish(chunk);
  }

  /**
   * Header, title and chunk each go out on their own: one that fails is counted and logged and
   * the others, and the next chunks, still go out (the mount's writer, a source or an upstream,
   * must never die with the swarm, and the swarm must not stop at one bad record).
   */
  private void publish(Chunk chunk) {
    long s = seq++; // the chunk's index in the epoch, used or not
    int e = Epochs.toSwarm(epoch);
    StreamHeader h = chunk.header();
    if (h != null && h != publishedHeader) {
      publishedHeader = h; // once per header, even when it cannot go out
      try {
        node.publishHeader(e, s, h.data());
      } catch (RuntimeException ex) {
        errors.failed("stream header of chunk " + s + " (" + h.length() + " bytes) not published",
            ex);
      }
    }
    IcyMetadata meta = chunk.metadata();
    if (meta != null && !meta.equals(published) && !(published == null
        && meta.equals(IcyMetadata.EMPTY))) {
      published = meta; // once per title, even when it cannot go out
      try {
        // a title without a StreamUrl (updinfo, an icecast2 upstream, a playlist) has none
        node.publishMetadata(e, chunk.start(), fit(meta.title()), fit(meta.url()));
      } catch (RuntimeException ex) {
        errors.failed("title at " + chunk.start() + " not published", ex);
      }
    }
    try {
      long rate = rate();
      int micros = (int) Math.min(Integer.MAX_VALUE, chunk.length() * 1_000_000L / rate);
      node.publish(e, s, chunk.start(), chunk.data(), System.currentTimeMillis(), micros);
    } catch (RuntimeException ex) {
      errors.failed("chunk " + s + " at " + chunk.start() + " not published", ex);
    }
  }

  /**
   * The stream's byte rate for chunk durations: the announced bitrate when there is one (exact
   * for CBR; the measured rate runs high for a while after an upstream's connect burst, which
   * made durations, and the peers' deadlines, short after a restart), else the measured one.
   */
  private long rate() {
    dev.floe.proxy.mount.StreamInfo info = mount.info();
    Integer br = info == null ? null : info.bitrate();
    return br != null && br > 0 ? br * 125L : Math.max(1, mount.bytesPerSecond());
  }

  /**
   * {@code text} ("" for null) cut to the swarm's {@link MetadataRecord#MAX_TEXT} UTF-8 bytes at
   * a character boundary (an ICY block cannot carry more anyway).
   */
  static String fit(String text) {
    if (text == null) {
      return "";
    }
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    if (b.length <= MetadataRecord.MAX_TEXT) {
      return text;
    }
    int n = MetadataRecord.MAX_TEXT;
    while (n > 0 && (b[n] & 0xC0) == 0x80) {
      n--; // back to the first byte of the character cut in two
    }
    return new String(b, 0, n, StandardCharsets.UTF_8);
  }
}
