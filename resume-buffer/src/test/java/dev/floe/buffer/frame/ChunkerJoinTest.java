package dev.floe.buffer.frame;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.icy.meta.IcyMetadata;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A stream joined in the middle of a frame: {@link Chunker#dropUntilFrame()} starts it clean. */
class ChunkerJoinTest {
  private static final int FRAME = 417; // MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, no padding

  private static byte[] frames(int n) {
    byte[] out = new byte[n * FRAME];
    for (int i = 0; i < n; i++) {
      out[i * FRAME] = (byte) 0xFF;
      out[i * FRAME + 1] = (byte) 0xFB;
      out[i * FRAME + 2] = (byte) 0x90;
      out[i * FRAME + 3] = (byte) 0x64;
      out[i * FRAME + 100] = (byte) i; // distinguishable payloads
    }
    return out;
  }

  private static byte[] run(byte[] input, int split, boolean drop) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Chunker c = new Chunker(ContentKind.MPEG, 2048, 65536, (f, m, h) -> {
      byte[] b = new byte[f.remaining()];
      f.get(b);
      out.write(b, 0, b.length);
    });
    if (drop) {
      c.dropUntilFrame();
    }
    c.feed(ByteBuffer.wrap(input, 0, split), IcyMetadata.EMPTY);
    c.feed(ByteBuffer.wrap(input, split, input.length - split), IcyMetadata.EMPTY);
    c.end();
    return out.toByteArray();
  }

  @Test
  void thePartialFrameBeforeTheFirstSyncIsDroppedAtEverySplit() {
    byte[] all = frames(30);
    int partial = 150; // the join starts 150 bytes before frame 1 begins
    byte[] joined = Arrays.copyOfRange(all, FRAME - partial, all.length);
    byte[] expected = Arrays.copyOfRange(all, FRAME, all.length);
    for (int split = 0; split <= joined.length; split += 7) {
      assertThat(run(joined, split, true)).as("split %d", split).isEqualTo(expected);
    }
  }

  @Test
  void withoutTheCallNothingIsDropped() {
    byte[] all = frames(30);
    byte[] joined = Arrays.copyOfRange(all, FRAME - 150, all.length);
    assertThat(run(joined, joined.length / 2, false)).isEqualTo(joined);
  }

  @Test
  void aStreamThatStartsOnAFrameLosesNothing() {
    byte[] all = frames(30);
    assertThat(run(all, 333, true)).isEqualTo(all);
  }
}
