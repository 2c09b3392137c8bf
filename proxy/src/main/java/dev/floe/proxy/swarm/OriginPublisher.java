package dev.floe.proxy.swarm;

import dev.floe.buffer.Chunk;
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
 * Runs on the mount's writer thread; never blocks.
 */
public final class OriginPublisher implements Mount.Appended {
  private static final Logger log = LoggerFactory.getLogger(OriginPublisher.class);

  private final Mount mount;
  private final Publish node;
  private String epoch;
  private long seq;
  private IcyMetadata published;
  private long lastFailureLog = System.nanoTime() - 2_000_000_000L;

  /** Where the publisher sends chunks and titles (a {@link SwarmNode}, or a test's recorder). */
  public interface Publish {
    /** As {@link SwarmNode#publish}. */
    void publish(int epoch, long seq, long position, java.nio.ByteBuffer payload,
        long originTimeMillis, int durationMicros);

    /** As {@link SwarmNode#publishMetadata}. */
    void publishMetadata(int epoch, long position, String title, String url);

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
