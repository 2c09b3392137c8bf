package dev.floe.swarm.gossip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.swarm.chunk.NodeId;
import dev.floe.swarm.chunk.OriginKey;
import dev.floe.swarm.chunk.PeerRecord;
import java.net.InetAddress;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The gossip view: bounded, unexpired and connectable records only, freshest kept and offered. */
class PeerGossipTest {
  private static final long NOW = 1_000_000_000L;
  private final OriginKey key = OriginKey.generate();
  private final SplittableRandom random = new SplittableRandom(3);
  private final NodeId self = NodeId.random(random);

  private PeerRecord record(int port, boolean connectable, long expires) throws Exception {
    return PeerRecord.sign(key, NodeId.random(random), InetAddress.getByName("127.0.0.1"), port,
        connectable, expires);
  }

  @Test
  void keepsOnlyUnexpiredConnectableRecordsOfOthers() throws Exception {
    PeerGossip<NodeId, PeerRecord> v = new PeerGossip<>(self, PeerGossip.SIGNED, 1);
    assertThat(v.add(record(1000, true, NOW + 60_000), NOW)).isTrue();
    assertThat(v.add(record(1001, true, NOW), NOW)).as("expired").isFalse();
    assertThat(v.add(record(1002, false, NOW + 60_000), NOW)).as("not connectable").isFalse();
    assertThat(v.add(record(0, true, NOW + 60_000), NOW)).as("no port").isFalse();
    PeerRecord mine = PeerRecord.sign(key, self, InetAddress.getByName("127.0.0.1"), 1003, true,
        NOW + 60_000);
    assertThat(v.add(mine, NOW)).as("own record is not a peer").isFalse();
    assertThat(v.size(NOW)).isEqualTo(1);
    assertThat(v.size(NOW + 60_000)).as("expires by the record's expiry").isZero();
  }

  @Test
  void boundedAndTheRecordLearntLongestAgoMakesRoom() throws Exception {
    PeerGossip<NodeId, PeerRecord> v = new PeerGossip<>(self, PeerGossip.SIGNED, 1);
    PeerRecord first = record(2000, true, NOW + 600_000);
    PeerRecord second = record(2001, true, NOW + 600_000);
    v.add(first, NOW);
    v.add(second, NOW);
    for (int i = 0; i < PeerGossip.MAX - 2; i++) {
      v.add(record(3000 + i, true, NOW + 600_000), NOW);
    }
    v.add(first, NOW);
    assertThat(v.size(NOW)).isEqualTo(PeerGossip.MAX);
    v.add(record(4000, true, NOW + 600_000), NOW);
    assertThat(v.size(NOW)).isEqualTo(PeerGossip.MAX);
    assertThat(v.knows(first.node())).as("learnt again, so recent").isTrue();
    assertThat(v.knows(second.node())).as("learnt longest ago").isFalse();
    assertThat(v.candidates(3, NOW)).hasSize(3).first()
        .extracting(PeerRecord::port).isEqualTo(4000);
  }

  @Test
  void sampleGivesOwnRecordFirstIfRoomyAndNeverTheReceiversOwn() throws Exception {
    PeerGossip<NodeId, PeerRecord> v = new PeerGossip<>(self, PeerGossip.SIGNED, 1);
    PeerRecord receiver = record(5001, true, NOW + 600_000);
    v.add(receiver, NOW);
    for (int i = 0; i < 10; i++) {
      v.add(record(6000 + i, true, NOW + 600_000), NOW);
    }
    PeerRecord mine = PeerRecord.sign(key, self, InetAddress.getByName("127.0.0.1"), 5002, true,
        NOW + 600_000);
    v.own(mine);
    for (int round = 0; round < 20; round++) {
      List<PeerRecord> s = v.sample(4, NOW, receiver.node(), true);
      assertThat(s).hasSize(4).doesNotContain(receiver).doesNotHaveDuplicates();
      assertThat(s.get(0)).isSameAs(mine);
    }
    assertThat(v.sample(20, NOW, receiver.node(), false)).hasSize(10)
        .doesNotContain(mine, receiver);
    assertThat(v.ownExpiring(NOW)).isFalse();
    assertThat(v.ownExpiring(NOW + 600_000 - PeerGossip.RENEW_MS + 1)).isTrue();
    assertThat(v.own(NOW + 600_000)).as("expired own record is not handed out").isNull();
  }

  @Test
  void aNodeThatRefusedIsHeldOffForAWhile() throws Exception {
    PeerGossip<NodeId, PeerRecord> v = new PeerGossip<>(self, PeerGossip.SIGNED, 1);
    PeerRecord full = record(8000, true, NOW + 600_000);
    v.add(full, NOW);
    v.refusedBy(full.node(), NOW);
    assertThat(v.knows(full.node())).isFalse();
    assertThat(v.add(full, NOW + PeerGossip.REFUSED_HOLD_MS - 1)).isFalse();
    assertThat(v.add(full, NOW + PeerGossip.REFUSED_HOLD_MS)).isTrue();
  }

  @Test
  void forgetsByNodeAndByAddress() throws Exception {
    PeerGossip<NodeId, PeerRecord> v = new PeerGossip<>(self, PeerGossip.SIGNED, 1);
    PeerRecord a = record(7000, true, NOW + 600_000);
    PeerRecord b = record(7001, true, NOW + 600_000);
    v.add(a, NOW);
    v.add(b, NOW);
    v.forget(a.node());
    v.forgetIf(r -> r.port() == 7001);
    assertThat(v.size(NOW)).isZero();
  }

  @Test
  void timersAreBoundedAndJittered() {
    PeerGossip<NodeId, PeerRecord> v = new PeerGossip<>(self, PeerGossip.SIGNED, 9);
    assertThat(v.pushTurn(NOW)).as("first call only schedules").isEqualTo(-1);
    long t = NOW;
    int pushes = 0;
    long last = NOW;
    while (t < NOW + 10 * PeerGossip.PUSH_MS) {
      t += 100;
      if (v.pushTurn(t) >= 0) {
        assertThat(t - last).isBetween(PeerGossip.PUSH_MS * 8L / 10, PeerGossip.PUSH_MS * 12L / 10 + 100);
        last = t;
        pushes++;
      }
    }
    assertThat(pushes).isBetween(8, 12);
    assertThat(v.mayAsk(NOW)).isTrue();
    assertThat(v.mayAsk(NOW + PeerGossip.ASK_MS - 1)).isFalse();
    assertThat(v.mayAsk(NOW + PeerGossip.ASK_MS)).isTrue();
    assertThat(v.mayAnswer(4, NOW)).isTrue();
    assertThat(v.mayAnswer(4, NOW + 1)).isFalse();
    assertThat(v.mayAnswer(5, NOW + 1)).isTrue();
    assertThat(v.mayAnswer(4, NOW + PeerGossip.ANSWER_MS)).isTrue();
  }

  @Test
  void askGoesToTheTrackerFirstThenTheViewThenOnePartner() throws Exception {
    PeerGossip<NodeId, PeerRecord> v = new PeerGossip<>(self, PeerGossip.SIGNED, 1);
    assertThat(v.ask(NOW, 3, r -> false)).as("joining")
        .isEqualTo(new PeerGossip.Ask<PeerRecord>(List.of(), -1, true));
    PeerRecord partner = record(9000, true, NOW + 600_000);
    PeerRecord other = record(9001, true, NOW + 600_000);
    v.add(partner, NOW);
    v.add(other, NOW);
    PeerGossip.Ask<PeerRecord> fromView = v.ask(NOW, 3, r -> r == partner);
    assertThat(fromView.known()).as("the view's records, partners left out").containsExactly(other);
    assertThat(fromView.partner()).isEqualTo(-1);
    assertThat(fromView.tracker()).isFalse();
    PeerGossip.Ask<PeerRecord> fromPartner = v.ask(NOW, 3, r -> true);
    assertThat(fromPartner.known()).isEmpty();
    assertThat(fromPartner.partner()).as("one partner is asked").isBetween(0, 2);
    assertThat(fromPartner.tracker()).isFalse();
    assertThat(v.ask(NOW + 1, 3, r -> true).tracker())
        .as("the partner's answer taught nothing new: the tracker").isTrue();
    assertThat(v.ask(NOW + PeerGossip.ASK_MS, 0, r -> true).tracker())
        .as("no partner to ask").isTrue();
  }

  @Test
  void enoughFullRefusalsSendTheNextAskToTheTracker() throws Exception {
    PeerGossip<NodeId, PeerRecord> v = new PeerGossip<>(self, PeerGossip.SIGNED, 1);
    v.ask(NOW, 3, r -> false);
    for (int i = 0; i < 10; i++) {
      v.add(record(9100 + i, true, NOW + 600_000), NOW);
    }
    for (int i = 0; i < PeerGossip.REFUSALS_TO_TRACKER; i++) {
      v.refusedBy(NodeId.random(random), NOW);
    }
    PeerGossip.Ask<PeerRecord> ask = v.ask(NOW, 3, r -> false);
    assertThat(ask.tracker()).isTrue();
    assertThat(ask.known()).as("the view's full nodes are not offered").isEmpty();
    assertThat(v.ask(NOW, 3, r -> false).known()).as("the count starts again").hasSize(8);
  }

  @Test
  void learnKeepsTheOwnRecordApartAndOffersOnlyDialableOnes() throws Exception {
    PeerGossip<NodeId, PeerRecord> v = new PeerGossip<>(self, PeerGossip.SIGNED, 1);
    PeerRecord mine = PeerRecord.sign(key, self, InetAddress.getByName("127.0.0.1"), 5002, true,
        NOW + 600_000);
    PeerRecord good = record(9200, true, NOW + 600_000);
    PeerRecord natted = record(9201, false, NOW + 600_000);
    PeerRecord expired = record(9202, true, NOW);
    assertThat(v.learn(List.of(mine, good, natted, expired), NOW, true)).containsExactly(good);
    assertThat(v.own(NOW)).isSameAs(mine);
    assertThat(v.size(NOW)).isEqualTo(1);
    assertThat(v.learn(List.of(record(9203, true, NOW + 600_000)), NOW, false))
        .as("learnt, not offered").isEmpty();
    assertThat(v.size(NOW)).isEqualTo(2);
  }

  @Test
  void renewalIsAskedWhenTheOwnRecordRunsShortAndNotAgainAtOnce() throws Exception {
    PeerGossip<NodeId, PeerRecord> v = new PeerGossip<>(self, PeerGossip.SIGNED, 1);
    assertThat(v.renewDue(NOW)).as("no own record yet").isFalse();
    long expires = NOW + PeerGossip.RECORD_MS;
    v.own(PeerRecord.sign(key, self, InetAddress.getByName("127.0.0.1"), 5002, true, expires));
    assertThat(v.renewDue(expires - PeerGossip.RENEW_MS)).isFalse();
    assertThat(v.renewDue(expires - PeerGossip.RENEW_MS + 1)).isTrue();
    assertThat(v.renewDue(expires - PeerGossip.RENEW_MS + 2)).as("once per retry period").isFalse();
    assertThat(v.renewDue(expires - PeerGossip.RENEW_MS + 1 + PeerGossip.RENEW_RETRY_MS)).isTrue();
    assertThat(PeerGossip.RENEW_MS).as("renewed while the tracker still re-signs")
        .isLessThan(PeerGossip.RESIGN_MS);
  }

  @Test
  void answersOncePerPeriodWithUpToAnswerRecords() throws Exception {
    PeerGossip<NodeId, PeerRecord> v = new PeerGossip<>(self, PeerGossip.SIGNED, 1);
    NodeId asker = NodeId.random(random);
    for (int i = 0; i < 20; i++) {
      v.add(record(9300 + i, true, NOW + 600_000), NOW);
    }
    assertThat(v.answer(7, asker, NOW, false)).hasSize(PeerGossip.ANSWER_RECORDS);
    assertThat(v.answer(7, asker, NOW + 1, false)).isEmpty();
    assertThat(v.answer(7, asker, NOW + PeerGossip.ANSWER_MS, false)).isNotEmpty();
  }
}
