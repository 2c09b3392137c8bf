package dev.floe.swarm.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.swarm.chunk.SignedChunk;
import org.junit.jupiter.api.Test;

/**
 * Non-payload bytes a node receives per second, from the encoder's real frame sizes: 6 partners,
 * each sending a buffer map every second (every 2 s at 1 s chunks, brief §2.6) and a ping every
 * 10 s (answered by a pong), chunks pushed whole, an ANNOUNCE to the tracker every 60 s. A day
 * into the stream (seq, position and time varints at a realistic width), one chunk missing near
 * the edge of each map.
 */
class ControlOverheadTest {
  private static final int PARTNERS = 6;

  private static double[] overhead(int bitsPerSecond, double chunkSeconds, double mapPeriod) {
    int payload = (int) (bitsPerSecond / 8 * chunkSeconds);
    long seq = (long) (86_400 / chunkSeconds);
    SignedChunk chunk = SignedChunk.sign(Frames.KEY, 0x9E3779B9, seq, 86_400L * bitsPerSecond / 8,
        Frames.T + 86_400_000, (int) (chunkSeconds * 1e6) - 4_000, 0, new byte[payload]);
    double chunkFraming = (FrameEncoder.size(new Frame.ChunkData(chunk)) - payload) / chunkSeconds;
    double maps = PARTNERS / mapPeriod * FrameEncoder.size(Frames.map(seq, 64, 2));
    double pings = PARTNERS / 10.0 * (FrameEncoder.size(new Frame.Ping(System.nanoTime()))
        + FrameEncoder.size(new Frame.Pong(System.nanoTime())));
    double announce = FrameEncoder.size(new Frame.Announce(8000, 1024, 6, 999_000)) / 60.0;
    double payloadPerSecond = bitsPerSecond / 8.0;
    double control = (maps + pings + announce) / payloadPerSecond;
    double total = control + chunkFraming / payloadPerSecond;
    System.out.printf("%d kbit/s, %.1f s chunks, maps every %.0f s: buffer maps %.0f B/s, pings"
        + " %.1f B/s, announce %.2f B/s, chunk framing+signature %.0f B/s; control %.2f%%,"
        + " all non-payload %.2f%%%n", bitsPerSecond / 1000, chunkSeconds, mapPeriod, maps, pings,
        announce, chunkFraming, 100 * control, 100 * total);
    return new double[] {control, total};
  }

  @Test
  void at128kbpsControlAndAllNonPayloadBytesStayUnderTwoPercent() {
    double[] o = overhead(128_000, 0.5, 1);
    assertThat(o[0]).isLessThanOrEqualTo(0.02);
    assertThat(o[1]).isLessThanOrEqualTo(0.02);
  }

  @Test
  void at64kbpsWithOneSecondChunksAllNonPayloadStaysUnderThreePercent() {
    double[] o = overhead(64_000, 1.0, 2);
    assertThat(o[1]).isLessThanOrEqualTo(0.03);
  }
}
