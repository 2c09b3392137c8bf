package dev.floe.swarm.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.swarm.schedule.Holdings;
import dev.floe.swarm.wire.FrameEncoder;
import org.junit.jupiter.api.Test;

/** Scheduler buffer maps survive the wire form (the newest 64 chunks, latest per substream). */
class MapCodecTest {
  @Test
  void roundTripKeepsHeldChunksAndLatestPerSubstream() {
    long bits = 0;
    for (int i = 0; i < 60; i++) {
      if (i != 57 && i != 3) {
        bits |= 1L << i;
      }
    }
    Holdings m = new Holdings(3, 100, bits, new long[] {156, 153, 158, 159}, 0b0101);
    dev.floe.swarm.wire.BufferMap w = MapCodec.toWire(m, 0xCAFE, true);
    assertThat(w.epoch()).isEqualTo(0xCAFE);
    assertThat(w.edgeSeq()).isEqualTo(159);
    Holdings back = MapCodec.toScheduler(w, 3, 4);
    for (long s = 96; s < 170; s++) {
      assertThat(back.has(s)).as("seq " + s).isEqualTo(m.has(s));
    }
    assertThat(back.latest(0)).isEqualTo(156);
    assertThat(back.latest(1)).isEqualTo(153);
    assertThat(back.latest(2)).isEqualTo(158);
    assertThat(back.latest(3)).isEqualTo(159);
    assertThat(back.subscribed()).isEqualTo(0b0101);
  }

  @Test
  void noUploadOrNothingHeldIsAnEmptyMap() {
    Holdings m = new Holdings(0, 10, 0b111, new long[] {12, 10, 11, -1}, 0b1);
    dev.floe.swarm.wire.BufferMap w = MapCodec.toWire(m, 5, false);
    assertThat(w.span()).isZero();
    assertThat(w.subscribedMask()).isEqualTo(1);
    Holdings back = MapCodec.toScheduler(w, 0, 4);
    assertThat(back.highest()).isEqualTo(-1);
    assertThat(FrameEncoder.encode(w)).hasSizeLessThan(16);
  }
}
