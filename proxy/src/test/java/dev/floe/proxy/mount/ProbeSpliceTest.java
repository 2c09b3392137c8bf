package dev.floe.proxy.mount;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.floe.buffer.Chunk;
import dev.floe.buffer.Cursor;
import dev.floe.icy.head.Headers;
import dev.floe.proxy.config.ConfigLoader;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Moving back to a higher-priority plain Icecast upstream, byte for byte: the probe's burst is
 * matched against the tail the mount held when the probe connected, while the current upstream
 * keeps writing; the switch must then continue the stream with neither gap nor repeat, whatever
 * the probe had received past the matched tail when its match was decided.
 */
class ProbeSpliceTest {
  private static final int FRAME = 417; // MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, no padding
  private static final byte[] STREAM = frames(600);

  @Test
  void bytesTheProbeReceivedPastTheTailBeforeItsMatchWasDecidedAreNotLost() throws Exception {
    assertContinues(120, 150, 165);
  }

  @Test
  void aProbeBehindTheCurrentUpstreamSkipsWhatIsAlreadyHeld() throws Exception {
    assertContinues(120, 170, 150);
  }

  /**
   * The current upstream has written {@code probeAt} frames when the probe connects and {@code
   * currentTo} frames when the probe decides; the probe's first read is its burst (64 frames up
   * to frame {@code probeTo}). The probe is made current at once, as {@code UpstreamClient} does,
   * and brings the stream to its end.
   */
  private static void assertContinues(int probeAt, int currentTo, int probeTo) throws Exception {
    Mount mount = new Mount(ConfigLoader.fromConfig(ConfigFactory.parseString(
        "floe.mounts = [{ path = \"/live\", upstreams = [\"http://127.0.0.1:9/a\","
            + " \"http://127.0.0.1:9/b\"] }]")).mounts().get(0), MountRegistry.fixed());
    StreamInfo info = new StreamInfo("audio/mpeg", Headers.EMPTY);
    Feed current = mount.openFeed("b", info, null);
    mount.activate(current, 1);
    current.audio(frameRange(0, probeAt));
    current.flush();

    Feed probe = mount.openFeed("a", info, null);
    assertThat(probe.positioned()).as("a plain upstream is placed by content").isFalse();
    current.audio(frameRange(probeAt, currentTo)); // still writing while the probe searches
    assertThat(probe.audio(frameRange(probeTo - 64, probeTo))).isEqualTo(Feed.Splice.FOUND);
    mount.activate(probe, 0);
    probe.audio(frameRange(probeTo, STREAM.length / FRAME));
    probe.flush();

    byte[] held = held(mount);
    int mismatch = Arrays.mismatch(held, STREAM);
    assertThat(mismatch).as("first byte that differs from the stream (%s held, %s sent)",
        held.length, STREAM.length).isEqualTo(-1);
    assertThat(mount.counters().gaps()).isZero();
  }

  private static ByteBuffer frameRange(int from, int to) {
    return ByteBuffer.wrap(Arrays.copyOfRange(STREAM, from * FRAME, to * FRAME));
  }

  /** {@code count} MPEG frames with random payloads, as real audio has. */
  private static byte[] frames(int count) {
    byte[] out = new byte[count * FRAME];
    new Random(42).nextBytes(out);
    for (int o = 0; o < out.length; o += FRAME) {
      out[o] = (byte) 0xFF;
      out[o + 1] = (byte) 0xFB;
      out[o + 2] = (byte) 0x90;
      out[o + 3] = (byte) 0x64;
    }
    return out;
  }

  private static byte[] held(Mount mount) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Cursor c = mount.buffer().open(mount.buffer().oldest());
    for (Chunk ch = c.next(); ch != null; ch = c.next()) {
      ByteBuffer d = ch.data();
      byte[] b = new byte[d.remaining()];
      d.get(b);
      out.writeBytes(b);
    }
    return out.toByteArray();
  }
}
