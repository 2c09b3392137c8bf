package dev.floe.swarm.schedule;

import java.util.Collection;
import java.util.function.Consumer;

/**
 * Which partners the origin takes as first-tier children, {@code originPushCopies} per substream.
 *
 * <p>First tier is spread: a partner gets one substream while another partner of the origin has
 * none (it will ask); more only when every partner already has one (a small swarm: two peers must
 * share all 8 slots) or when the substream has no copy at all. A partner with none that finds the
 * substream full takes the slot of a partner holding several, which is told UNSUBSCRIBE and finds
 * another parent, so slots granted to a small swarm go back to spreading as it grows. The origin
 * advertises the slots a partner could take in its buffer map's subscribed mask. Mutable through
 * the partners' child masks; not thread-safe.
 */
final class OriginAdmission {
  private final int copies;
  private final Collection<Partner> partners;
  private final Consumer<Action> out;

  /**
   * @param copies children per substream ({@code originPushCopies})
   * @param partners the origin's partners (a live view)
   * @param out where the UNSUBSCRIBE of a partner giving a slot back goes
   */
  OriginAdmission(int copies, Collection<Partner> partners, Consumer<Action> out) {
    this.copies = copies;
    this.partners = partners;
    this.out = out;
  }

  /**
   * Whether the origin takes partner {@code p} as a first-tier child of {@code sub}; a partner
   * holding several that gives {@code sub} up for it is taken off and told at once.
   */
  boolean admits(Partner p, int sub) {
    long held = partners.stream().filter(c -> c.isChild(sub)).count();
    if (held == 0) {
      return true;
    }
    if (held < copies) {
      return p.childMask == 0 || partners.stream().noneMatch(c -> c != p && c.childMask == 0);
    }
    if (p.childMask != 0) {
      return false;
    }
    Partner extra = partners.stream()
        .filter(c -> c.isChild(sub) && Integer.bitCount(c.childMask) > 1).findFirst().orElse(null);
    if (extra == null) {
      return false;
    }
    extra.childMask &= ~(1 << sub);
    out.accept(new Action.RefuseSubscribe(extra.id, sub));
    return true;
  }

  /** The substreams among {@code k} with a slot a partner could take: free, or held by a holder of several. */
  int open(int k) {
    int open = 0;
    for (int s = 0; s < k; s++) {
      int sub = s;
      open |= partners.stream().filter(c -> c.isChild(sub)).count() < copies
          || partners.stream().anyMatch(c -> c.isChild(sub) && Integer.bitCount(c.childMask) > 1)
          ? 1 << s : 0;
    }
    return open;
  }
}
