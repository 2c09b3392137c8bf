package dev.floe.swarm.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.swarm.chunk.SignedChunk;
import dev.floe.swarm.chunk.MetadataRecord;
import dev.floe.swarm.chunk.OriginKey;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

/** The in-order hand-over to the mount, without sockets: deadlines are seq x 500 ms. */
class PlayoutTest {
  private static final OriginKey KEY = OriginKey.generate();
  private static final int SIZE = 1000;
  private static final LongUnaryOperator DEADLINE = seq -> seq * 500;

  private final List<String> events = new ArrayList<>();
  private final ChunkStore store = new ChunkStore(64);
  private final Playout playout = new Playout(new SwarmNode.Listener() {
    @Override
    public void play(SignedChunk chunk) {
      events.add("play " + chunk.epoch() + ":" + chunk.seq());
    }

    @Override
    public void metadata(MetadataRecord record) {
      events.add("meta " + record.fromSeq() + " " + record.title());
    }

    @Override
    public void fallback(boolean on, int epoch, long position) {
      events.add("fallback " + on + " " + epoch + " @" + position);
    }
  }, store);

  private void hold(int epoch, long seq) {
    store.put(SignedChunk.sign(KEY, epoch, seq, seq * SIZE, seq * 500, 500_000, 0, new byte[SIZE]));
  }

  @Test
  void playsInOrderAtTheDeadlineAndWaitsForAMissingChunk() {
    playout.reset(7);
    playout.start(2);
    hold(7, 2);
    hold(7, 4);
    playout.run(999, DEADLINE);
    assertThat(events).isEmpty();
    assertThat(playout.stalledOn(999, DEADLINE)).isEqualTo(-1);
    playout.run(2000, DEADLINE);
    assertThat(events).containsExactly("play 7:2");
    playout.run(5000, DEADLINE);
    assertThat(events).containsExactly("play 7:2");
    assertThat(playout.stalledOn(5000, DEADLINE)).isEqualTo(3);
    hold(7, 3);
    playout.run(5000, DEADLINE);
    assertThat(events).containsExactly("play 7:2", "play 7:3", "play 7:4");
    assertThat(playout.stalledOn(5000, DEADLINE)).isEqualTo(5);
  }

  @Test
  void beforeTheFirstChunkOverdueMissingOnesArePassedOver() {
    playout.reset(7);
    playout.start(0);
    assertThat(playout.stalledOn(2000, DEADLINE)).as("joining is no stall").isEqualTo(-1);
    hold(7, 3);
    playout.run(2000, DEADLINE);
    assertThat(events).containsExactly("play 7:3");
  }

  @Test
  void aFallbackResumesWithTheChunkHoldingTheDirectPosition() {
    playout.reset(7);
    playout.start(0);
    hold(7, 0);
    playout.run(0, DEADLINE);
    playout.fallbackStart();
    assertThat(events).containsExactly("play 7:0", "fallback true 7 @" + SIZE);
    for (long s = 2; s <= 6; s++) {
      hold(7, s);
    }
    playout.directBytes(7, 4 * SIZE + 10);
    playout.run(10_000, DEADLINE);
    assertThat(events).hasSize(2);
    playout.fallbackStop();
    playout.run(10_000, DEADLINE);
    assertThat(events).containsExactly("play 7:0", "fallback true 7 @" + SIZE,
        "fallback false 7 @" + (4 * SIZE + 10), "play 7:4", "play 7:5", "play 7:6");
  }

  @Test
  void directBytesOfAnotherEpochAreIgnored() {
    playout.reset(7);
    playout.start(0);
    hold(7, 0);
    playout.run(0, DEADLINE);
    playout.fallbackStart();
    hold(7, 1);
    hold(7, 2);
    playout.directBytes(8, 100 * SIZE);
    playout.fallbackStop();
    playout.run(10_000, DEADLINE);
    assertThat(events).endsWith("play 7:1", "play 7:2");
  }

  @Test
  void metadataGoesBeforeTheChunkItAppliesTo() {
    playout.reset(7);
    playout.start(0);
    playout.metadata(MetadataRecord.sign(KEY, 7, 2, "second", ""));
    playout.metadata(MetadataRecord.sign(KEY, 7, 0, "first", ""));
    playout.metadata(MetadataRecord.sign(KEY, 8, 0, "next epoch", ""));
    for (long s = 0; s < 3; s++) {
      hold(7, s);
    }
    playout.run(10_000, DEADLINE);
    assertThat(events).containsExactly("meta 0 first", "play 7:0", "play 7:1", "meta 2 second",
        "play 7:2");
    playout.reset(8);
    playout.start(0);
    hold(8, 0);
    playout.run(10_000, DEADLINE);
    assertThat(events).endsWith("meta 0 next epoch", "play 8:0");
  }

  @Test
  void aNewEpochRestartsPlayout() {
    playout.reset(7);
    playout.start(5);
    hold(7, 5);
    playout.run(10_000, DEADLINE);
    playout.reset(9);
    assertThat(playout.started()).isFalse();
    playout.start(0);
    hold(9, 0);
    playout.run(10_000, DEADLINE);
    assertThat(events).containsExactly("play 7:5", "play 9:0");
  }
}
