package dev.floe.swarm.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.swarm.chunk.SignedChunk;
import dev.floe.swarm.chunk.OriginKey;
import dev.floe.swarm.wire.Frame;
import dev.floe.swarm.wire.FrameEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A chunk's CHUNK frame is encoded once and the same bytes are handed to every partner; the store
 * releases its reference when the chunk leaves the window, on a new epoch and when the node
 * closes, and the memory is freed once the partners' views are released too.
 */
class ChunkStoreTest {
  private static final OriginKey KEY = OriginKey.generate();
  private static final int CAPACITY = 8;

  private static SignedChunk chunk(int epoch, long seq) {
    byte[] payload = new byte[16_000];
    new SplittableRandom(seq).nextBytes(payload);
    return SignedChunk.sign(KEY, epoch, seq, seq * 16_000, 1_700_000_000_000L + seq, 1_000_000, 0,
        payload);
  }

  private final ChunkStore store = new ChunkStore(CAPACITY, ByteBufAllocator.DEFAULT);

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void everyPartnerGetsTheSameBytesEncodedOnce() {
    SignedChunk c = chunk(1, 5);
    store.put(c);
    ByteBuf first = store.frame(1, 5);
    ByteBuf second = store.frame(1, 5);
    try {
      assertThat(ByteBufUtil.getBytes(first))
          .isEqualTo(FrameEncoder.encode(new Frame.ChunkData(c)));
      // One encoding shared: a byte changed through one view shows through the other.
      byte was = second.getByte(100);
      first.setByte(100, ~was);
      assertThat(second.getByte(100)).as("one encoding shared").isEqualTo((byte) ~was);
      first.setByte(100, was);
      assertThat(first.isDirect()).isTrue();
      // The store's reference and one per view.
      assertThat(first.unwrap().refCnt()).isEqualTo(3);
      assertThat(store.frame(1, 6)).as("not held").isNull();
      assertThat(store.frame(2, 5)).as("other epoch").isNull();
    } finally {
      first.release();
      second.release();
    }
  }

  @Test
  void aChunkLeavingTheWindowReleasesItsFrameOnceTheLastViewIsReleased() {
    store.put(chunk(1, 5));
    ByteBuf view = store.frame(1, 5);
    ByteBuf root = view.unwrap();
    store.put(chunk(1, 5 + CAPACITY));
    assertThat(store.get(1, 5)).isNull();
    assertThat(root.refCnt()).as("only the write in flight holds it").isEqualTo(1);
    assertThat(view.getByte(0)).as("still readable while in flight").isNotZero();
    view.release();
    assertThat(root.refCnt()).isZero();
  }

  @Test
  void aNewEpochAndClosingReleaseEveryFrame() {
    store.put(chunk(1, 1));
    store.put(chunk(1, 2));
    ByteBuf a = store.frame(1, 1);
    ByteBuf b = store.frame(1, 2);
    ByteBuf rootA = a.unwrap();
    ByteBuf rootB = b.unwrap();
    a.release();
    b.release();
    store.put(chunk(2, 1));
    assertThat(rootA.refCnt()).isZero();
    assertThat(rootB.refCnt()).isZero();

    ByteBuf c = store.frame(2, 1);
    ByteBuf rootC = c.unwrap();
    c.release();
    store.close();
    assertThat(rootC.refCnt()).isZero();

    store.put(chunk(2, 3));
    ByteBuf late = store.frame(2, 3);
    assertThat(late.refCnt()).as("after close a frame is the caller's alone").isEqualTo(1);
    assertThat(late.release()).isTrue();
  }
}
