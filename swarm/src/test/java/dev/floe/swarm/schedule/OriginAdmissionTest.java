package dev.floe.swarm.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The origin's first tier: two copies per substream, spread one substream per partner. */
class OriginAdmissionTest {
  private final Map<Integer, Partner> partners = new LinkedHashMap<>();
  private final List<Action> out = new ArrayList<>();
  private final OriginAdmission admission = new OriginAdmission(2, partners.values(), out::add);

  private Partner partner(int id) {
    Partner p = new Partner(new Hello(id, false, true, 20, 512, 0, -1, 0), 4, 32_000, 0, 0);
    partners.put(id, p);
    return p;
  }

  private boolean take(Partner p, int sub) {
    boolean ok = admission.admits(p, sub);
    if (ok) {
      p.childMask |= 1 << sub;
    }
    return ok;
  }

  @Test
  void oneSubstreamPerPartnerWhileAnotherHasNone() {
    Partner a = partner(1);
    Partner b = partner(2);
    partner(3);

    assertThat(take(a, 0)).as("no copy yet").isTrue();
    assertThat(take(b, 0)).isTrue();
    assertThat(take(a, 1)).as("no copy of substream 1 yet").isTrue();
    assertThat(take(b, 1)).as("one copy, but partner 3 has none").isFalse();
    assertThat(take(b, 2)).as("no copy of substream 2 at all").isTrue();
    assertThat(out).isEmpty();
  }

  @Test
  void whenEveryPartnerHasOneTheRestOfTheSlotsGoToWhoeverAsks() {
    Partner a = partner(1);
    Partner b = partner(2);
    take(a, 0);
    take(b, 1);

    assertThat(take(a, 1)).isTrue();
    assertThat(take(b, 0)).isTrue();
    assertThat(take(a, 2)).isTrue();
    assertThat(admission.open(4)).as("every slot of a holder of several").isEqualTo(0b1111);
  }

  @Test
  void aPartnerWithNoneTakesTheSlotOfOneHoldingSeveral() {
    Partner a = partner(1);
    Partner b = partner(2);
    for (int sub = 0; sub < 4; sub++) {
      take(a, sub);
      take(b, sub);
    }
    Partner c = partner(3);

    assertThat(take(a, 1)).as("already full").isFalse();
    assertThat(take(c, 1)).isTrue();
    assertThat(out).containsExactly(new Action.RefuseSubscribe(1, 1));
    assertThat(a.isChild(1)).isFalse();
    assertThat(take(c, 2)).as("partner 3 now has one, substream 2 is full").isFalse();
  }

  @Test
  void fullSlotsOfSingleHoldersAreNotOpen() {
    Partner a = partner(1);
    Partner b = partner(2);
    Partner c = partner(3);
    Partner d = partner(4);
    take(a, 0);
    take(b, 0);
    take(c, 1);
    take(d, 1);

    assertThat(admission.open(4)).isEqualTo(0b1100);
    assertThat(take(partner(5), 0)).as("no holder of several to give it back").isFalse();
  }
}
