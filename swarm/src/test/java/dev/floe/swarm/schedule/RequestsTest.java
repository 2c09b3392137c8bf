package dev.floe.swarm.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Requests in flight, one per window slot, and the origin's last-resort asks. */
class RequestsTest {
  @Test
  void aRequestIsKnownByItsSeqAndPeerUntilCleared() {
    Requests r = new Requests();
    r.track(40, 7, 1000, 2500);

    assertThat(r.pending(40)).isTrue();
    assertThat(r.pendingAt(40, 7)).isTrue();
    assertThat(r.pendingAt(40, 8)).isFalse();
    assertThat(r.pending(40 + ChunkWindow.SPAN)).as("same slot, other seq").isFalse();
    assertThat(r.peer(40)).isEqualTo(7);
    assertThat(r.sentAt(40)).isEqualTo(1000);

    r.clear(40);
    assertThat(r.pending(40)).isFalse();
  }

  @Test
  void aGonePartnersRequestsAreClearedAndNoOneElses() {
    Requests r = new Requests();
    r.track(1, 7, 0, 100);
    r.track(2, 8, 0, 100);
    r.track(3, 7, 0, 100);

    r.forget(7);

    assertThat(r.pending(1)).isFalse();
    assertThat(r.pending(2)).isTrue();
    assertThat(r.pending(3)).isFalse();
  }

  @Test
  void timedOutRequestsAreHandedBackOnceAndCleared() {
    Requests r = new Requests();
    r.track(1, 7, 0, 1000);
    r.track(2, 8, 0, 2000);
    List<String> expired = new ArrayList<>();

    r.expire(999, (peer, seq) -> expired.add(peer + ":" + seq));
    assertThat(expired).isEmpty();
    r.expire(1000, (peer, seq) -> expired.add(peer + ":" + seq));
    r.expire(1500, (peer, seq) -> expired.add(peer + ":" + seq));

    assertThat(expired).containsExactly("7:1");
    assertThat(r.pending(1)).isFalse();
    assertThat(r.pending(2)).isTrue();
  }

  @Test
  void originAsksAreRememberedPerSlotAndANewEpochForgetsThem() {
    Requests r = new Requests();
    assertThat(r.askedOrigin(5)).isFalse();
    assertThat(r.originAskedAt(5)).isZero();

    r.askingOrigin(5, 3000);
    r.track(5, 0, 3000, 4000);

    assertThat(r.askedOrigin(5)).isTrue();
    assertThat(r.askedOrigin(5 + ChunkWindow.SPAN)).isFalse();
    assertThat(r.originAskedAt(5 + ChunkWindow.SPAN)).as("the slot's time").isEqualTo(3000);

    r.reset();

    assertThat(r.askedOrigin(5)).isFalse();
    assertThat(r.pending(5)).isFalse();
    assertThat(r.originAskedAt(5)).as("the time of the last ask stays").isEqualTo(3000);
  }
}
