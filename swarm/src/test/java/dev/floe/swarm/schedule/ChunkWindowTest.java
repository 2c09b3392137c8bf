package dev.floe.swarm.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The chunk window: 64 slots by seq, the newest per substream, and the buffer map they make. */
class ChunkWindowTest {
  @Test
  void aChunkReplacesTheOneASpanBeforeItInItsSlot() {
    ChunkWindow w = new ChunkWindow(4);
    w.reset(0);
    w.add(10, 800, 1000, true);
    assertThat(w.has(10)).isTrue();
    assertThat(w.size(10)).isEqualTo(800);
    assertThat(w.tooOld(10)).isFalse();

    w.add(10 + ChunkWindow.SPAN, 900, 2000, false);

    assertThat(w.has(10)).isFalse();
    assertThat(w.has(10 + ChunkWindow.SPAN)).isTrue();
    assertThat(w.size(10 + ChunkWindow.SPAN)).isEqualTo(900);
    assertThat(w.tooOld(10)).as("a span behind the newest").isTrue();
    assertThat(w.tooOld(11)).isFalse();
    assertThat(w.highest()).isEqualTo(10 + ChunkWindow.SPAN);
    assertThat(w.has(-1)).as("no negative seq, even in an empty slot").isFalse();
  }

  @Test
  void arrivalAndTheSwarmsShareAreKeptPerChunk() {
    ChunkWindow w = new ChunkWindow(4);
    w.reset(0);
    w.add(5, 800, 1000, false);

    assertThat(w.arrivedBy(5, 1000)).isTrue();
    assertThat(w.arrivedBy(5, 999)).isFalse();
    assertThat(w.arrivedBy(6, 5000)).as("not held").isFalse();
    assertThat(w.fromSwarm(5)).isFalse();
    w.againFromSwarm(5, false);
    assertThat(w.fromSwarm(5)).isFalse();
    w.againFromSwarm(5, true);
    assertThat(w.fromSwarm(5)).isTrue();
    w.againFromSwarm(5, false);
    assertThat(w.fromSwarm(5)).as("once in time from the swarm, it stays so").isTrue();
  }

  @Test
  void theMapCoversTheLastSpanWithTheNewestPerSubstream() {
    ChunkWindow w = new ChunkWindow(4);
    assertThat(w.map(0).epoch()).as("no epoch yet maps as 0").isZero();
    w.reset(3);
    for (long seq : new long[] {100, 110, 111, 113, 170}) {
      w.add(seq, 800, 0, true);
    }

    Holdings m = w.map(0b0101);

    assertThat(m.epoch()).isEqualTo(3);
    assertThat(m.base()).isEqualTo(170 - ChunkWindow.SPAN + 1);
    assertThat(m.has(100)).as("under the base").isFalse();
    assertThat(m.has(110)).isTrue();
    assertThat(m.has(113)).isTrue();
    assertThat(m.has(170)).isTrue();
    assertThat(m.has(169)).isFalse();
    assertThat(m.latest(0)).as("held, under the base").isEqualTo(100);
    assertThat(m.latest(1)).isEqualTo(113);
    assertThat(m.latest(2)).isEqualTo(170);
    assertThat(m.latest(3)).isEqualTo(111);
    assertThat(m.subscribed()).isEqualTo(0b0101);
    assertThat(w.describeNewest()).isEqualTo("[100, 113, 170, 111]");
  }

  @Test
  void aNewEpochEmptiesTheWindow() {
    ChunkWindow w = new ChunkWindow(2);
    w.reset(0);
    w.add(7, 800, 0, true);

    w.reset(1);

    assertThat(w.epoch()).isEqualTo(1);
    assertThat(w.has(7)).isFalse();
    assertThat(w.highest()).isEqualTo(-1);
    assertThat(w.map(0).bits()).isZero();
    assertThat(w.map(0).latest(1)).isEqualTo(-1);
  }
}
