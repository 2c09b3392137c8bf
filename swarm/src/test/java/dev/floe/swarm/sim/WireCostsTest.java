package dev.floe.swarm.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.swarm.schedule.WireSizes;
import org.junit.jupiter.api.Test;

/**
 * The simulation counts the real encoder's sizes: each cost is what {@code FrameEncoder} gives for
 * its frame (fixed here so that a change to the wire shows up as a changed figure), and none
 * exceeds the scheduler's nominal size, which paces it.
 */
class WireCostsTest {
  @Test
  void costsAreTheEncodersSizes() {
    assertThat(new int[] {WireCosts.CHUNK_HEADER, WireCosts.SIGNATURE, WireCosts.BUFFER_MAP,
        WireCosts.REQUEST, WireCosts.REFUSE, WireCosts.SUBSCRIBE, WireCosts.UNSUBSCRIBE,
        WireCosts.ANNOUNCE, WireCosts.PEERS_FRAME, WireCosts.GOODBYE})
        .containsExactly(27, 64, 13, 10, 10, 10, 3, 10, 5, 4);
    // HELLO: magic + a frame carrying the latest signed chunk header; a record is signed too
    assertThat(WireCosts.HELLO).isBetween(150, 220);
    assertThat(WireCosts.PEER_RECORD).isBetween(80, 110);
  }

  @Test
  void noCostExceedsTheSchedulersNominalSize() {
    assertThat(WireCosts.CHUNK_HEADER).isLessThanOrEqualTo(WireSizes.CHUNK_HEADER);
    assertThat(WireCosts.SIGNATURE).isEqualTo(WireSizes.SIGNATURE);
    assertThat(WireCosts.BUFFER_MAP).isLessThanOrEqualTo(WireSizes.BUFFER_MAP);
    assertThat(WireCosts.REQUEST).isLessThanOrEqualTo(WireSizes.REQUEST);
    assertThat(WireCosts.REFUSE).isLessThanOrEqualTo(WireSizes.REFUSE);
    assertThat(WireCosts.SUBSCRIBE).isLessThanOrEqualTo(WireSizes.SUBSCRIBE);
    assertThat(WireCosts.UNSUBSCRIBE).isLessThanOrEqualTo(WireSizes.UNSUBSCRIBE);
    assertThat(WireCosts.HELLO).isLessThanOrEqualTo(WireSizes.HELLO);
    assertThat(WireCosts.ANNOUNCE).isLessThanOrEqualTo(WireSizes.ANNOUNCE);
    assertThat(WireCosts.PEER_RECORD).isLessThanOrEqualTo(WireSizes.PEER_RECORD);
  }
}
