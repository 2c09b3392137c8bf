package dev.floe.proxy.swarm;

import dev.floe.buffer.Chunk;
import dev.floe.buffer.StreamHeader;
import dev.floe.icy.meta.IcyMetadata;
import dev.floe.proxy.mount.Mount;
import dev.floe.proxy.mount.Segment;
import dev.floe.swarm.node.SwarmNode;
import java.util.Objects;
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
  private final Publish node;
  private String epoch;
  private long seq;
  private IcyMetadata published;
  private StreamHeader publishedHeader;
  private long lastFailureLog = System.nanoTime() - 2_000_000_000L;

  /** Where the publisher sends chunks and titles (a {@link SwarmNode}, or a test's recorder). */
  public interface Publish {
    /** As {@link SwarmNode#publish}. */
    void publish(int epoch, long seq, long position, java.nio.ByteBuffer payload,
        long originTimeMillis, int durationMicros);

    /** As {@link SwarmNode#publishMetadata}. */
    void publishMetadata(int epoch, long position, String title, String url);

    /**
     * As {@link SwarmNode#publishHeader}. The default ignores it (a target that does not carry
     * stream headers).
     */
    default void publishHeader(int epoch, long fromSeq, java.nio.ByteBuffer bytes) {}

    /** A node as a publish target. */
    static Publish of(SwarmNode node) {
      return new Publish() {
        @Override
        public void publish(int epoch, long seq, long position, java.nio.ByteBuffer payload,
            long originTimeMillis, int durationMicros) {
          node.publish(epoch, seq, position, payload, originTimeMillis, durationMicros);
        }

        @Override
        public void publishMetadata(int epoch, long position, String title, String url) {
          node.publishMetadata(epoch, position, title, url);
        }

        @Override
        public void publishHeader(int epoch, long fromSeq, java.nio.ByteBuffer bytes) {
          node.publishHeader(epoch, fromSeq, bytes);
        }
      };
    }
  }

  /** Publishes {@code mount}'s chunks to {@code node}. */
  public OriginPublisher(Mount mount, Publish node) {
    this.mount = mount;
    this.node = node;
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
    try {
      publish(chunk);
    } catch (RuntimeException ex) {
      // The mount's writer (a source, an upstream) must not die with the swarm: log, go on.
      long now = System.nanoTime();
      if (now - lastFailureLog > 1_000_000_000L) {
        lastFailureLog = now;
        log.warn("{}: chunk {} at {} not published to the swarm: {}", mount.path(), seq,
            chunk.start(), ex.toString());
      }
    }
  }

  private void publish(Chunk chunk) {
    long s = seq++; // the chunk's index in the epoch, used or not
    int e = Epochs.toSwarm(epoch);
    StreamHeader h = chunk.header();
    if (h != null && h != publishedHeader) {
      publishedHeader = h; // once per header, even when it cannot go out
      if (h.length() > dev.floe.swarm.chunk.StreamHeader.MAX_BYTES) {
        log.warn("{}: the stream's Ogg header pages ({} bytes) exceed the swarm's {} bytes: peers"
            + " get no header and cannot decode", mount.path(), h.length(),
            dev.floe.swarm.chunk.StreamHeader.MAX_BYTES);
      } else {
        node.publishHeader(e, s, h.data());
      }
    }
    IcyMetadata meta = chunk.metadata();
    if (meta != null && !meta.equals(published) && !(published == null
        && meta.equals(IcyMetadata.EMPTY))) {
      node.publishMetadata(e, chunk.start(), Objects.requireNonNullElse(meta.title(), ""),
          meta.url());
      published = meta;
    }
    long rate = Math.max(1, mount.bytesPerSecond());
    int micros = (int) Math.min(Integer.MAX_VALUE, chunk.length() * 1_000_000L / rate);
    node.publish(e, s, chunk.start(), chunk.data(), System.currentTimeMillis(), micros);
  }
}
