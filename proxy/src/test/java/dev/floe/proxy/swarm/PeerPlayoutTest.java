package dev.floe.proxy.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.icy.head.Headers;
import dev.floe.icy.resume.FloePosition;
import dev.floe.proxy.mount.Feed;
import dev.floe.proxy.mount.Mount;
import dev.floe.proxy.mount.MountRegistry;
import dev.floe.proxy.mount.StreamInfo;
import dev.floe.swarm.chunk.SignedChunk;
import dev.floe.swarm.chunk.MetadataRecord;
import dev.floe.swarm.chunk.OriginKey;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A peer mount plays what the node plays, at its positions: overlap trimmed, titles at their
 * chunk, and a direct pull in between reported to the node and followed exactly.
 */
class PeerPlayoutTest {
  private static final OriginKey KEY = OriginKey.generate();
  private static final int EPOCH = 0x1234abcd;
  private static final int FRAMES_PER_CHUNK = 20;
  private static final byte[] AUDIO = Audio.frames(400);

  private final List<String> directs = new CopyOnWriteArrayList<>();
  private final List<long[]> reported = new CopyOnWriteArrayList<>();
  private EventLoop loop;
  private Mount mount;
  private PeerPlayout playout;

  @BeforeEach
  void setUp() throws Exception {
    loop = new DefaultEventLoop();
    mount = new Mount(Audio.mount("{ path = \"/live\", swarm { role = peer, join = "
        + "\"http://127.0.0.1:9/live#floe=" + KEY.channelKey() + "\" } }"),
        MountRegistry.fixed());
    playout = new PeerPlayout(mount, loop, "swarm test", () -> new PeerPlayout.Direct() {
      @Override
      public void start() {
        directs.add("start");
      }

      @Override
      public void stop() {
        directs.add("stop");
      }
    });
    playout.node((epoch, position) -> reported.add(new long[] {epoch, position}));
    playout.start();
  }

  @AfterEach
  void tearDown() {
    playout.close();
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  private static SignedChunk chunk(long seq) {
    int len = FRAMES_PER_CHUNK * Audio.FRAME;
    long position = seq * len;
    return SignedChunk.sign(KEY, EPOCH, seq, position, System.currentTimeMillis(), 500_000, 0,
        Arrays.copyOfRange(AUDIO, (int) position, (int) position + len));
  }

  private static long end(long seq) {
    return (seq + 1) * FRAMES_PER_CHUNK * Audio.FRAME;
  }

  private void awaitHeld(long newest) {
    await().atMost(Duration.ofSeconds(5)).until(() -> mount.buffer() != null
        && mount.buffer().newest() == newest);
  }

  private byte[] held() throws Exception {
    byte[][] out = new byte[1][];
    loop.submit(() -> {
      out[0] = Audio.held(mount.buffer());
      return null;
    }).get(5, TimeUnit.SECONDS);
    return out[0];
  }

  @Test
  void chunksGoIntoTheMountAtTheirPositions() throws Exception {
    for (long s = 0; s < 5; s++) {
      playout.play(chunk(s));
    }
    awaitHeld(end(4));

    assertThat(mount.segment().epoch()).isEqualTo("000000001234abcd");
    assertThat(held()).isEqualTo(Arrays.copyOf(AUDIO, (int) end(4)));
    assertThat(mount.info().contentType()).isEqualTo("audio/mpeg");
  }

  @Test
  void overlapIsTrimmed() throws Exception {
    for (long s = 0; s < 4; s++) {
      playout.play(chunk(s));
    }
    awaitHeld(end(3));
    playout.play(chunk(2));
    playout.play(chunk(3));
    playout.play(chunk(4));
    awaitHeld(end(4));

    assertThat(held()).isEqualTo(Arrays.copyOf(AUDIO, (int) end(4)));
    assertThat(mount.counters().gaps()).isZero();
  }

  @Test
  void aTitleTakesEffectAtItsChunk() throws Exception {
    playout.metadata(MetadataRecord.sign(KEY, EPOCH, 2, "Song B", ""));
    playout.play(chunk(0));
    playout.play(chunk(1));
    awaitHeld(end(1));
    assertThat(mount.metadata().title()).isNotEqualTo("Song B");

    playout.play(chunk(2));
    awaitHeld(end(2));
    assertThat(mount.metadata().title()).isEqualTo("Song B");
  }

  @Test
  void aDirectPullIsReportedAndTheSwarmContinuesRightAfterIt() throws Exception {
    playout.play(chunk(0));
    playout.play(chunk(1));
    awaitHeld(end(1));

    playout.fallback(true, EPOCH, end(1));
    await().atMost(Duration.ofSeconds(5)).until(() -> directs.contains("start"));
    assertThat(playout.fallback()).isTrue();
    // what the upstream client would do: a positioned feed from the mount's newest byte
    int from = (int) end(1);
    int to = (int) end(3);
    loop.submit(() -> {
      Feed f = mount.openFeed("direct", new StreamInfo("audio/mpeg", Headers.EMPTY),
          new FloePosition(Epochs.toMount(EPOCH), from));
      mount.activate(f, 0);
      f.audio(ByteBuffer.wrap(Arrays.copyOfRange(AUDIO, from, to)));
      mount.feedEnded(f);
    }).get(5, TimeUnit.SECONDS);
    awaitHeld(end(3));
    assertThat(reported).isNotEmpty();
    long[] last = reported.get(reported.size() - 1);
    assertThat((int) last[0]).isEqualTo(EPOCH);
    assertThat(last[1]).isEqualTo(end(3));

    playout.fallback(false, EPOCH, end(3));
    playout.play(chunk(4));
    awaitHeld(end(4));

    assertThat(directs).containsExactly("start", "stop");
    assertThat(playout.fallback()).isFalse();
    assertThat(held()).isEqualTo(Arrays.copyOf(AUDIO, (int) end(4)));
    assertThat(mount.counters().gaps()).isZero();
  }

  /**
   * The origin restarted: the swarm falls short on the new epoch while the mount still holds the
   * old one. The direct pull must start at the swarm's position in the new epoch (the mount's
   * newest is what the upstream client asks for), not at the old epoch's end (416, then the live
   * edge: a gap).
   */
  @Test
  void aFallbackOnANewEpochStartsAtTheSwarmsPositionInIt() throws Exception {
    playout.play(chunk(0));
    playout.play(chunk(1));
    await().atMost(Duration.ofSeconds(5)).until(() -> mount.buffer() != null
        && mount.buffer().newest() == end(1));
    int next = 0x0badcafe;

    playout.fallback(true, next, 12_345);
    await().atMost(Duration.ofSeconds(5)).until(() -> directs.contains("start"));

    assertThat(loop.submit(() -> mount.segment().epoch()).get(5, TimeUnit.SECONDS))
        .isEqualTo(Epochs.toMount(next));
    assertThat(loop.submit(() -> mount.buffer().newest()).get(5, TimeUnit.SECONDS))
        .as("what the direct pull asks for").isEqualTo(12_345L);
  }
}
