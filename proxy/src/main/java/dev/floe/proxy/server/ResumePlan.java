package dev.floe.proxy.server;

import dev.floe.icy.resume.FloePosition;

/**
 * Where a listener's cursor starts, decided from its {@code Floe-Position} header alone and the
 * mount's window: pure, so every case is a unit test ({@code ResumePlanTest}).
 *
 * <ul>
 *   <li>no header (a player): {@code listener-delay} plus the burst behind the live edge, and
 *       paced {@code listener-delay} behind it;
 *   <li>{@code *} (a Floe node with nothing held): the burst behind the live edge, not delayed;
 *   <li>{@code epoch:offset} inside the window of the same epoch: exactly there;
 *   <li>anything else: not held (416 with the window, so the node can choose again).
 * </ul>
 *
 * @param kind which of the cases above
 * @param behindLive for {@link Kind#BEHIND_LIVE}, how far behind the newest byte to open
 * @param at for {@link Kind#AT}, the position to open at
 * @param delay how far behind the live edge the listener is paced (0 for Floe nodes)
 */
record ResumePlan(Kind kind, long behindLive, long at, long delay) {

  /** The cases of a plan. */
  enum Kind { BEHIND_LIVE, AT, NOT_HELD }

  /**
   * @param asked the parsed {@code Floe-Position}, or null when the request had none
   * @param epoch the mount's current epoch
   * @param oldest the oldest position held
   * @param newest the newest position held + 1
   * @param delayBytes the mount's {@code listener-delay} in bytes
   * @param burstBytes the mount's burst in bytes
   */
  static ResumePlan of(FloePosition asked, String epoch, long oldest, long newest,
      long delayBytes, long burstBytes) {
    if (asked == null) {
      return new ResumePlan(Kind.BEHIND_LIVE, delayBytes + burstBytes, -1, delayBytes);
    }
    if (asked.isAny()) {
      return new ResumePlan(Kind.BEHIND_LIVE, burstBytes, -1, 0);
    }
    if (asked.epoch().equals(epoch) && asked.offset() >= oldest && asked.offset() <= newest) {
      return new ResumePlan(Kind.AT, 0, asked.offset(), 0);
    }
    return new ResumePlan(Kind.NOT_HELD, 0, -1, 0);
  }
}
