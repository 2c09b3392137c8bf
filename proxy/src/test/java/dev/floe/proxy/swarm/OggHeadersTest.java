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
import dev.floe.swarm.chunk.ChunkHeader;
import dev.floe.swarm.chunk.OriginKey;
import dev.floe.swarm.chunk.SignedStreamHeader;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Ogg header pages through the proxy's swarm glue: the origin publishes the header before the
 * first chunk that carries it and a chained stream's new header at its first chunk (MP3 publishes
 * none); a peer mount's chunks carry the header the swarm handed over (so new listeners get it
 * first), switch to a chained header exactly at its chunk, and keep the right header across a
 * direct pull and back, with the overlap trimmed and no gap.
 */
class OggHeadersTest {
  private static final OriginKey KEY = OriginKey.generate();
  private static final int EPOCH = 0x0dd0beef;
  private static final StreamInfo OGG = new StreamInfo("application/ogg", Headers.EMPTY);
  private static final int PAGES_PER_CHUNK = 20;
  private static final int CHUNK = PAGES_PER_CHUNK * OggAudio.PAGE;
  private static final byte[] H1 = OggAudio.header(1, "first");
  private static final byte[] H2 = OggAudio.header(2, "second");
  /** Audio of stream 1 for chunks 0-4, then of stream 2 (chained) for chunks 5-7. */
  private static final byte[] AUDIO = concat(OggAudio.audio(1, 0, 5 * PAGES_PER_CHUNK),
      OggAudio.audio(2, 0, 3 * PAGES_PER_CHUNK));

  private final List<EventLoop> loops = new ArrayList<>();

  @AfterEach
  void tearDown() {
    loops.forEach(l -> l.shutdownGracefully(0, 1, TimeUnit.SECONDS));
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  // ---- origin

  private static byte[] bytes(ByteBuffer b) {
    byte[] a = new byte[b.remaining()];
    b.duplicate().get(a);
    return a;
  }

  /** Through a real origin node to a real peer node and mount. */
  @Test
  void theOriginPublishesEachHeaderBeforeItsFirstChunk() throws Exception {
    byte[] stream1 = OggAudio.audio(1, 0, 150);
    byte[] stream2 = OggAudio.audio(2, 0, 1500); // more than the test needs
    try (SwarmPair pair = new SwarmPair()) {
      pair.startSource("application/ogg", concat(H1, stream1, H2, stream2));
      long end = pair.awaitOriginHolds(stream1.length + 20_000);
      pair.awaitPeerHolds(end);

      assertThat(pair.headers).extracting(h -> bytes(h.bytes())).containsExactly(H1, H2);
      long second = pair.headers.get(1).fromSeq();
      long[] carrier = pair.played.stream().filter(p -> p[1] == second).findFirst()
          .orElseThrow();
      assertThat(carrier[2]).as("stream 2 starts at its header's chunk").isEqualTo(stream1.length);
      ByteArrayOutputStream audio = new ByteArrayOutputStream();
      pair.playedBytes.forEach(audio::writeBytes);
      byte[] all = concat(stream1, stream2);
      long from = pair.played.get(0)[2];
      assertThat(audio.toByteArray()).as("chunks hold audio pages only")
          .startsWith(Arrays.copyOfRange(all, (int) from, (int) end));
    }
  }

  @Test
  void anMp3OriginPublishesNoHeader() throws Exception {
    try (SwarmPair pair = new SwarmPair()) {
      pair.startSource("audio/mpeg", Audio.frames(1000));
      pair.awaitPeerHolds(pair.awaitOriginHolds(20_000));
      assertThat(pair.played).isNotEmpty();
      assertThat(pair.headers).isEmpty();
    }
  }

  // ---- peer

  private final List<String> directs = new ArrayList<>();
  private Mount mount;
  private EventLoop loop;
  private PeerPlayout playout;

  private void peer() throws Exception {
    loop = new DefaultEventLoop();
    loops.add(loop);
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
    playout.announced(OGG);
    playout.node((epoch, position) -> { });
    playout.start();
  }

  private static SignedChunk chunk(long seq) {
    int flags = SignedStreamHeader.CHUNK_FLAG_IN_FORCE
        | (seq == 0 || seq == 5 ? ChunkHeader.FLAG_HEADER_CHANGE : 0);
    return SignedChunk.sign(KEY, EPOCH, seq, seq * CHUNK, System.currentTimeMillis(), 500_000, flags,
        Arrays.copyOfRange(AUDIO, (int) (seq * CHUNK), (int) ((seq + 1) * CHUNK)));
  }

  private static long end(long seq) {
    return (seq + 1) * CHUNK;
  }

  private <T> T onLoop(Callable<T> task) throws Exception {
    return loop.submit(task).get(5, TimeUnit.SECONDS);
  }

  private void awaitHeld(long newest) {
    await().atMost(Duration.ofSeconds(5)).until(() -> mount.buffer() != null
        && mount.buffer().newest() == newest);
  }

  /** Each held chunk's start position with its header's bytes. */
  private List<Object[]> heldHeaders() throws Exception {
    return onLoop(() -> {
      List<Object[]> out = new ArrayList<>();
      List<byte[]> h = OggAudio.headers(mount.buffer());
      dev.floe.buffer.Cursor c = mount.buffer().open(mount.buffer().oldest());
      int i = 0;
      for (dev.floe.buffer.Chunk ch = c.next(); ch != null; ch = c.next()) {
        out.add(new Object[] {ch.start(), h.get(i++)});
      }
      return out;
    });
  }

  @Test
  void aPeerMountsChunksCarryTheSwarmsHeaderAndAChainedOneFromItsChunk() throws Exception {
    peer();
    playout.header(SignedStreamHeader.sign(KEY, EPOCH, 0, H1));
    for (long s = 0; s < 5; s++) {
      playout.play(chunk(s));
    }
    playout.header(SignedStreamHeader.sign(KEY, EPOCH, 5, H2));
    for (long s = 5; s < 8; s++) {
      playout.play(chunk(s));
    }
    awaitHeld(end(7));

    assertThat(onLoop(() -> Audio.held(mount.buffer()))).as("audio pages only, at their positions")
        .isEqualTo(AUDIO);
    List<Object[]> held = heldHeaders();
    assertThat(held).isNotEmpty();
    for (Object[] h : held) {
      long start = (long) h[0];
      assertThat((byte[]) h[1]).as("header of the chunk at %d", start)
          .isEqualTo(start < 5L * CHUNK ? H1 : H2);
    }
    assertThat(held).anyMatch(h -> (long) h[0] == 5L * CHUNK);
    assertThat(mount.counters().gaps()).isZero();
  }

  @Test
  void theHeaderStaysRightAcrossADirectPullAndBack() throws Exception {
    peer();
    playout.header(SignedStreamHeader.sign(KEY, EPOCH, 0, H1));
    playout.play(chunk(0));
    playout.play(chunk(1));
    awaitHeld(end(1));

    playout.fallback(true, EPOCH, end(1));
    await().atMost(Duration.ofSeconds(5)).until(() -> directs.contains("start"));
    // what the upstream client gets from the origin: the header pages, then audio from end(1)
    int from = (int) end(1);
    int to = (int) end(3);
    onLoop(() -> {
      Feed f = mount.openFeed("direct", OGG, new FloePosition(Epochs.toMount(EPOCH), from));
      mount.activate(f, 0);
      f.audio(ByteBuffer.wrap(H1));
      f.audio(ByteBuffer.wrap(Arrays.copyOfRange(AUDIO, from, to)));
      mount.feedEnded(f);
      return null;
    });
    awaitHeld(end(3));

    playout.fallback(false, EPOCH, end(3));
    playout.play(chunk(2)); // overlaps what the direct pull gave: trimmed
    playout.play(chunk(3));
    playout.play(chunk(4));
    awaitHeld(end(4));

    assertThat(directs).containsExactly("start", "stop");
    assertThat(onLoop(() -> Audio.held(mount.buffer()))).isEqualTo(Arrays.copyOf(AUDIO,
        (int) end(4)));
    List<Object[]> held = heldHeaders();
    for (Object[] h : held) {
      assertThat((byte[]) h[1]).as("header of the chunk at %d", (long) h[0]).isEqualTo(H1);
    }
    assertThat(held).anyMatch(h -> (long) h[0] >= end(3));
    assertThat(mount.counters().gaps()).isZero();
    // Listeners send header pages again when the header object changes: the direct pull and
    // the return (new feeds, same bytes) must not make new ones mid-stream.
    assertThat(onLoop(() -> {
      java.util.Set<dev.floe.buffer.StreamHeader> seen =
          java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      dev.floe.buffer.Cursor c = mount.buffer().open(mount.buffer().oldest());
      for (dev.floe.buffer.Chunk ch = c.next(); ch != null; ch = c.next()) {
        seen.add(ch.header());
      }
      return seen.size();
    })).as("header objects in the buffer").isEqualTo(1);
  }
}
