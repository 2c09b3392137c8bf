package dev.floe.proxy.swarm;

import java.util.Locale;

/**
 * Epochs between the mount ({@code Floe-Position}: 16 lowercase hex digits) and the swarm (u32).
 *
 * <p>Decision: an origin mount makes its epochs with the upper 32 bits zero ({@link
 * dev.floe.proxy.mount.SwarmHooks#shortEpochs}), so its epoch is exactly the swarm's, widened: a peer that falls back asks
 * the origin's HTTP mount for {@code Floe-Position: 00000000xxxxxxxx:<position>} and continues
 * with no gap. An origin that relays a Floe upstream adopts that upstream's 64-bit epoch; the
 * swarm then carries its low 32 bits, and a peer's direct pull can no longer name it (the origin
 * answers 416 and the peer joins at the live edge, a logged gap).
 */
public final class Epochs {
  private Epochs() {}

  /** The swarm epoch of a mount epoch: its low 32 bits. */
  public static int toSwarm(String mountEpoch) {
    return (int) Long.parseUnsignedLong(mountEpoch, 16);
  }

  /** Whether {@code mountEpoch} fits the swarm's u32 exactly. */
  public static boolean exact(String mountEpoch) {
    return Long.parseUnsignedLong(mountEpoch, 16) >>> 32 == 0;
  }

  /** The mount epoch of a swarm epoch: the u32 widened to 16 hex digits. */
  public static String toMount(int swarmEpoch) {
    return String.format(Locale.ROOT, "%016x", swarmEpoch & 0xffffffffL);
  }
}
