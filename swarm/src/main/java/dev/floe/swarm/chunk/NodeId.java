package dev.floe.swarm.chunk;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

/**
 * A node's 16 random bytes, chosen at start. Self-chosen, so it names a node but proves nothing:
 * bans and limits key on addresses, not on node ids. Immutable.
 */
public final class NodeId {
  /** Length in bytes. */
  public static final int LENGTH = 16;
  private final byte[] raw;

  private NodeId(byte[] raw) {
    this.raw = raw;
  }

  /** The id from 16 raw bytes (copied). */
  public static NodeId of(byte[] raw) {
    if (raw.length != LENGTH) {
      throw new IllegalArgumentException("a node id is 16 bytes, got " + raw.length);
    }
    return new NodeId(raw.clone());
  }

  /** A random id drawn from {@code random} (pass a {@code SecureRandom} in production). */
  public static NodeId random(RandomGenerator random) {
    byte[] b = new byte[LENGTH];
    random.nextBytes(b);
    return new NodeId(b);
  }

  /** A copy of the raw bytes. */
  public byte[] raw() {
    return raw.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodeId n && Arrays.equals(raw, n.raw);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(raw);
  }

  /** Lower-case hex. */
  @Override
  public String toString() {
    return HexFormat.of().formatHex(raw);
  }
}
