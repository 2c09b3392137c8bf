package dev.floe.swarm.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.swarm.chunk.SignedChunk;
import dev.floe.swarm.chunk.MetadataRecord;
import dev.floe.swarm.chunk.NodeId;
import dev.floe.swarm.chunk.OriginKey;
import dev.floe.swarm.chunk.PeerRecord;
import dev.floe.swarm.join.JoinAddress;
import dev.floe.swarm.schedule.SchedulerConfig;
import dev.floe.swarm.wire.BufferMap;
import dev.floe.swarm.wire.Frame;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Gossip (PEX) on real sockets: partners are asked for records before the tracker, records they
 * give are dialed, forged ones get the sender banned, a FULL node hands out alternatives and a
 * refused node dials them; two nodes that dial each other at once keep the link the lower node
 * id dialed; a peer whose lag is automatic plays at the tracker's advised lag.
 * Rogues stand in for partners so each step is one known frame; "X" is a real node the tracker
 * never heard of (its origin address is dead), reachable only through the records the test signs.
 */
class GossipTest {
  private TestSwarm swarm;
  private final List<AutoCloseable> started = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    swarm = new TestSwarm(2, 4000);
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = started.size() - 1; i >= 0; i--) {
      started.get(i).close();
    }
    swarm.close();
  }

  /** A peer of the swarm with its own server; first tier only with 3 r of upload or more. */
  private SwarmNode peer(int partnerTarget, int partnerMax, int uploadKbps, int lagMs,
      boolean autoLag, JoinAddress join, SwarmNode.Listener listener) throws Exception {
    SchedulerConfig c = swarm.peerConfig;
    c = new SchedulerConfig(c.streamKbps(), c.chunkMs(), c.substreams(), lagMs, uploadKbps,
        partnerTarget, partnerMax, false, c.originPushCopies(), c.mapBudget());
    AtomicReference<SwarmNode> ref = new AtomicReference<>();
    PeerServer server = PeerServer.bind(swarm.group, "127.0.0.1", 0,
        k -> k.equals(swarm.key.channelKey()) ? ref.get() : null);
    SwarmNode node = SwarmNode.peer(new SwarmNode.Settings(c, server.port(), "127.0.0.1", autoLag),
        join, swarm.group, listener == null ? new Recorder(swarm.key.channelKey()) : listener);
    ref.set(node);
    started.add(server);
    started.add(node);
    ports.put(node, server.port());
    node.start();
    return node;
  }

  private final java.util.Map<SwarmNode, Integer> ports = new java.util.HashMap<>();

  private SwarmNode peer(int partnerTarget, int partnerMax) throws Exception {
    return peer(partnerTarget, partnerMax, 256, 4000, false, swarm.join, null);
  }

  /** A node of the channel whose origin address is dead: no tracker knows it. */
  private SwarmNode unlisted() throws Exception {
    int dead;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      dead = s.getLocalPort();
    }
    JoinAddress nowhere = new JoinAddress(false, "127.0.0.1", dead, "/live.mp3",
        swarm.key.channelKey());
    return peer(4, 16, 256, 4000, false, nowhere, null);
  }

  private PeerRecord recordOf(SwarmNode node, OriginKey signer) throws Exception {
    return PeerRecord.sign(signer, node.nodeId(), InetAddress.getByName("127.0.0.1"),
        ports.get(node), true, System.currentTimeMillis() + 600_000);
  }

  private Rogue rogueTo(SwarmNode node, long seed) throws Exception {
    Rogue r = new Rogue(ports.get(node), swarm.key.channelKey(), Rogue.randomNode(seed));
    started.add(r);
    r.awaitHello();
    return r;
  }

  private boolean partnersWith(SwarmNode node, SwarmNode other) {
    String address = "127.0.0.1:" + ports.get(other);
    return node.stats().partners().stream().anyMatch(p -> p.address().equals(address));
  }

  @Test
  void asksPartnersBeforeTheTrackerAndDialsWhatTheyGive() throws Exception {
    SwarmNode x = unlisted();
    SwarmNode n = peer(2, 16);
    await().atMost(Duration.ofSeconds(10)).until(() -> swarm.origin.trackerAnswers() == 1);
    Rogue partner = rogueTo(n, 1);
    partner.send(new BufferMap(0, 0, 0, new BitSet(), 0));

    // Short of partners with an empty view: the partner is asked (an empty PEERS), not the tracker.
    await().atMost(Duration.ofSeconds(20)).until(() -> partner.received().stream()
        .anyMatch(f -> f instanceof Frame.Peers p && p.peers().isEmpty()));
    assertThat(swarm.origin.trackerAnswers()).isEqualTo(1);

    partner.send(new Frame.Peers(0, List.of(recordOf(x, swarm.key))));
    await().atMost(Duration.ofSeconds(10)).until(() -> partnersWith(n, x));
    assertThat(n.viewSize()).isEqualTo(1);
    assertThat(swarm.origin.trackerAnswers()).as("the tracker answered the join only").isEqualTo(1);
    assertThat(n.incidents()).isEmpty();
  }

  @Test
  void afterChurnTheLastJoinerFindsNewPartnersFromItsViewWithoutTheTracker() throws Exception {
    // Early peers want one partner each, so none is short (and asks the tracker) once the last
    // one has joined: every record the last joiner gets is from its one tracker answer.
    List<SwarmNode> early = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      SwarmNode p = peer(1, 16);
      await().atMost(Duration.ofSeconds(10)).until(() -> swarm.origin.trackerLists(p.nodeId()));
      early.add(p);
    }
    SwarmNode last = peer(2, 16);
    await().atMost(Duration.ofSeconds(15)).until(() -> early.stream()
        .filter(p -> partnersWith(last, p)).count() >= 2);
    assertThat(last.announces()).as("asked the tracker on joining only").isEqualTo(1);
    assertThat(last.viewSize()).as("the tracker's sample: every earlier peer").isEqualTo(4);

    // Churn: the last joiner's partners leave (GOODBYE SHUTDOWN).
    List<SwarmNode> gone = early.stream().filter(p -> partnersWith(last, p)).toList();
    List<SwarmNode> left = early.stream().filter(p -> !gone.contains(p)).toList();
    assertThat(gone).hasSize(2);
    for (SwarmNode p : gone) {
      p.close();
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> left.stream()
        .filter(p -> partnersWith(last, p)).count() >= 2);
    assertThat(last.announces()).as("new partners came from the view, not the tracker")
        .isEqualTo(1);
    assertThat(last.viewSize()).as("the leavers are forgotten").isEqualTo(2);
  }

  @Test
  void aForgedRecordInGossipOrInAlternativesBansTheSender() throws Exception {
    SwarmNode x = unlisted();
    SwarmNode n = peer(2, 16);
    OriginKey other = OriginKey.generate();
    Rogue pex = rogueTo(n, 2);
    pex.send(new Frame.Peers(0, List.of(recordOf(x, swarm.key), recordOf(x, other))));
    Rogue goodbye = rogueTo(n, 3);
    goodbye.send(new Frame.Goodbye(Frame.Reason.FULL, List.of(recordOf(x, other))));

    for (Rogue r : List.of(pex, goodbye)) {
      String address = "127.0.0.1:" + r.localPort();
      await().atMost(Duration.ofSeconds(10)).until(() -> n.incidents().stream()
          .anyMatch(i -> i.address().equals(address)));
      assertThat(n.incidents().stream().filter(i -> i.address().equals(address)).findFirst()
          .orElseThrow()).satisfies(i -> {
            assertThat(i.kind()).isEqualTo("FORGED");
            assertThat(i.banned()).isTrue();
          });
      assertThat(r.awaitClosed(10)).isTrue();
    }
  }

  @Test
  void aFullNodeHandsOutAlternativesAndTheRefusedNodeDialsThem() throws Exception {
    // A node refused as FULL dials the alternative it was given.
    SwarmNode x = unlisted();
    SwarmNode n = peer(2, 16);
    await().atMost(Duration.ofSeconds(10)).until(() -> swarm.origin.trackerAnswers() == 1);
    Rogue refuser = rogueTo(n, 6);
    refuser.send(new Frame.Goodbye(Frame.Reason.FULL, List.of(recordOf(x, swarm.key))));
    await().atMost(Duration.ofSeconds(10)).until(() -> partnersWith(n, x));

    // A node with one partner at most, that partner being n (the tracker's sample), drops a
    // newcomer with GOODBYE FULL and n as the alternative.
    SwarmNode full = peer(1, 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> partnersWith(full, n));
    Rogue refused = rogueTo(full, 5);
    refused.send(new BufferMap(0, 0, 0, new BitSet(), 0));
    assertThat(refused.awaitClosed(10)).isTrue();
    Frame.Goodbye bye = refused.received().stream().filter(f -> f instanceof Frame.Goodbye)
        .map(f -> (Frame.Goodbye) f).findFirst().orElseThrow();
    assertThat(bye.reason()).isEqualTo(Frame.Reason.FULL);
    assertThat(bye.alternatives()).isNotEmpty().allSatisfy(r -> {
      assertThat(r.verify(swarm.key.channelKey())).isTrue();
      assertThat(r.node()).isNotIn(refused.node, full.nodeId());
    });
    assertThat(bye.alternatives()).extracting(PeerRecord::node).contains(n.nodeId());
  }

  @ParameterizedTest(name = "the other node''s id is {0} than this one''s")
  @ValueSource(strings = {"lower", "higher"})
  void crossedDialsKeepTheLinkTheLowerNodeIdDialed(String order) throws Exception {
    // X dials Y and Y dials X at once. Y sees X's connection (HELLO, no map yet), dials X's
    // record and makes that link a partner on X's HELLO; then X's map arrives on the first
    // connection. Both ends keep the link the lower node id dialed, whatever the order frames
    // arrive in, so one survives. (Each end used to refuse the connection that came second as
    // REPLACED, so when both ends saw them in the same order, both links died.)
    SwarmNode y = unlisted();
    Rogue partner = rogueTo(y, 9);
    partner.send(new BufferMap(0, 0, 0, new BitSet(), 0));
    await().atMost(Duration.ofSeconds(10)).until(() -> y.stats().partners().size() == 1);
    byte[] id = new byte[NodeId.LENGTH];
    java.util.Arrays.fill(id, order.equals("lower") ? (byte) 0 : (byte) 0xFF);
    NodeId x = NodeId.of(id);
    try (ServerSocket server = new ServerSocket(0, 4, InetAddress.getByName("127.0.0.1"))) {
      Rogue xDialed = new Rogue(ports.get(y), swarm.key.channelKey(), x, server.getLocalPort());
      started.add(xDialed);
      xDialed.awaitHello();
      partner.send(new Frame.Peers(0, List.of(PeerRecord.sign(swarm.key, x,
          InetAddress.getByName("127.0.0.1"), server.getLocalPort(), true,
          System.currentTimeMillis() + 600_000))));
      Rogue yDialed = Rogue.accept(server, swarm.key.channelKey(), x);
      started.add(yDialed);
      yDialed.awaitHello();
      await().atMost(Duration.ofSeconds(10)).until(() -> y.stats().partners().size() == 2);

      xDialed.send(new BufferMap(0, 0, 0, new BitSet(), 0));

      Rogue lost = order.equals("lower") ? yDialed : xDialed;
      Rogue kept = order.equals("lower") ? xDialed : yDialed;
      assertThat(lost.awaitClosed(10)).as("the link the higher id dialed is closed").isTrue();
      assertThat(lost.received()).anySatisfy(f -> assertThat(f)
          .isEqualTo(new Frame.Goodbye(Frame.Reason.REPLACED, List.of())));
      assertThat(kept.awaitClosed(1)).as("the link the lower id dialed stays").isFalse();
      // partners show their advertised address: the kept link is told by who dialed it
      boolean keptDialedByY = kept == yDialed;
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(y.stats().partners())
          .hasSize(2).filteredOn(p -> p.node().equals(x.toString()))
          .singleElement().satisfies(p -> assertThat(p.dialed()).isEqualTo(keptDialedByY)));
      assertThat(y.incidents()).isEmpty();
    }
  }

  @Test
  void autoLagPlaysAtTheAdvisedLagAndAnExplicitLagIsKept() throws Exception {
    swarm.publish();
    List<Long> lags = new CopyOnWriteArrayList<>();
    SwarmNode.Listener timing = new SwarmNode.Listener() {
      @Override
      public void play(SignedChunk chunk) {
        lags.add(System.currentTimeMillis() - chunk.header().originTimeMillis());
      }

      @Override
      public void metadata(MetadataRecord record) {}

      @Override
      public void fallback(boolean on, int epoch, long position) {}
    };
    SwarmNode auto = peer(2, 16, 512, 12_000, true, swarm.join, timing);
    await().atMost(Duration.ofSeconds(10)).until(() -> swarm.origin.trackerAnswers() == 1);
    SwarmNode fixed = peer(2, 16, 512, 12_000, false, swarm.join, null);
    int advised = SchedulerConfig.advisedLagMs(Tracker.SMALLEST_ADVISED_SWARM);
    assertThat(advised).isLessThan(12_000);
    await().atMost(Duration.ofSeconds(10)).until(() -> swarm.origin.trackerAnswers() == 2);

    assertThat(auto.stats().lagMs()).isEqualTo(advised);
    assertThat(fixed.stats().lagMs()).isEqualTo(12_000);
    await().atMost(Duration.ofSeconds(25)).until(() -> lags.size() >= 4);
    List<Long> sorted = lags.stream().sorted().toList();
    assertThat(sorted.get(sorted.size() / 2)).as("median play lag, ms")
        .isBetween(advised - 600L, advised + 1500L);
    assertThat(fixed.playout().playedChunks()).as("12 s behind: nothing due yet").isZero();
    assertThat(fixed.stats().lagMs()).isEqualTo(12_000);
  }
}
