package dev.floe.swarm.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.floe.swarm.wire.Frame;
import dev.floe.swarm.wire.FrameDecoder;
import dev.floe.swarm.wire.FrameEncoder;
import dev.floe.swarm.wire.FrameException;
import dev.floe.swarm.wire.PeerWire;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@link FrameDecoder} on hostile bytes: it throws nothing but {@link FrameException}; the frames
 * and the error are the same whether the bytes come at once or in pieces (byte by byte for some
 * inputs, random cuts for others); and decoding is canonical: each frame it returns re-encodes to
 * exactly the bytes it came from (optional frames skipped in between), so no two encodings mean
 * the same frame and decode-encode loses nothing.
 */
class FrameDecoderFuzzTest {
  private record Outcome(List<Frame> frames, FrameException.Kind error) {}

  @FuzzTest(maxDuration = "5s")
  void decode(byte[] data) {
    Outcome whole = run(data, List.of(ByteBuffer.wrap(data)));
    Outcome pieces = run(data, cut(data, Arrays.hashCode(data)));
    assertThat(pieces.frames()).isEqualTo(whole.frames());
    assertThat(pieces.error()).isEqualTo(whole.error());

    int at = PeerWire.MAGIC.length();
    for (Frame f : whole.frames()) {
      byte[] enc = FrameEncoder.encode(f);
      while (!matches(data, at, enc)) {
        at = skipOptional(data, at);
      }
      at += enc.length;
    }
  }

  private static Outcome run(byte[] data, List<ByteBuffer> feeds) {
    FrameDecoder d = new FrameDecoder();
    List<Frame> frames = new ArrayList<>();
    try {
      for (ByteBuffer feed : feeds) {
        for (int i = 0; i <= data.length; i++) {
          Frame f = d.next(feed);
          if (f == null) {
            break;
          }
          frames.add(f);
        }
        assertThat(feed.hasRemaining()).isFalse();
      }
      return new Outcome(frames, null);
    } catch (FrameException e) {
      return new Outcome(frames, e.kind());
    }
  }

  private static List<ByteBuffer> cut(byte[] data, long seed) {
    List<ByteBuffer> out = new ArrayList<>();
    if ((seed & 3) == 0 || data.length < 64) {
      for (byte b : data) {
        out.add(ByteBuffer.wrap(new byte[] {b}));
      }
      return out;
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int pos = 0; pos < data.length; ) {
      int n = Math.min(data.length - pos, rnd.nextInt(1 + data.length / 4));
      out.add(ByteBuffer.wrap(data, pos, n).slice());
      pos += n;
    }
    return out;
  }

  private static boolean matches(byte[] data, int at, byte[] enc) {
    return at + enc.length <= data.length
        && Arrays.equals(data, at, at + enc.length, enc, 0, enc.length);
  }

  /** Skips one optional frame (type 0x80 and up) at {@code at}, or fails the test. */
  private static int skipOptional(byte[] data, int at) {
    int length = 0;
    int i = 0;
    int b;
    do {
      b = data[at + i] & 0xFF;
      length |= (b & 0x7F) << (7 * i);
      i++;
    } while ((b & 0x80) != 0);
    assertThat(data[at + i] & 0xFF).as("type of a frame the decoder skipped").isGreaterThanOrEqualTo(0x80);
    return at + i + length;
  }
}
