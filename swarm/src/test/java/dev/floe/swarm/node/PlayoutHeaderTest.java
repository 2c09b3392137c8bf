package dev.floe.swarm.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.swarm.chunk.SignedChunk;
import dev.floe.swarm.chunk.ChunkHeader;
import dev.floe.swarm.chunk.MetadataRecord;
import dev.floe.swarm.chunk.OriginKey;
import dev.floe.swarm.chunk.SignedStreamHeader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Stream headers in the hand-over to the mount, without sockets (deadlines are seq x 500 ms): a
 * flagged chunk waits for its header (and is reported as stalled past its deadline), a header is
 * handed over once before the first chunk it applies to, a chained header exactly at its seq, and
 * unflagged chunks (MP3) play with no header at all. Also the bounds of {@link HeaderBook}.
 */
class PlayoutHeaderTest {
  private static final OriginKey KEY = OriginKey.generate();
  private static final LongUnaryOperator DEADLINE = seq -> seq * 500;
  private static final int IN_FORCE = SignedStreamHeader.CHUNK_FLAG_IN_FORCE;
  private static final int CHANGE = IN_FORCE | ChunkHeader.FLAG_HEADER_CHANGE;

  private final List<String> events = new ArrayList<>();
  private final ChunkStore store = new ChunkStore(64);
  private final HeaderBook book = new HeaderBook();
  private final Playout playout = new Playout(new SwarmNode.Listener() {
    @Override
    public void play(SignedChunk chunk) {
      events.add("play " + chunk.seq());
    }

    @Override
    public void metadata(MetadataRecord record) {
      events.add("meta " + record.fromSeq());
    }

    @Override
    public void header(SignedStreamHeader header) {
      events.add("header " + header.fromSeq() + " "
          + StandardCharsets.ISO_8859_1.decode(header.bytes()));
    }

    @Override
    public void fallback(boolean on, int epoch, long position) {
      events.add("fallback " + on);
    }
  }, store, book);

  private void hold(long seq, int flags) {
    store.put(SignedChunk.sign(KEY, 7, seq, seq * 100, seq * 500, 500_000, flags, new byte[100]));
  }

  private static SignedStreamHeader header(int epoch, long fromSeq, String text) {
    return SignedStreamHeader.sign(KEY, epoch, fromSeq, text.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void aFlaggedChunkWaitsForItsHeaderAndAChainedOneTakesEffectAtItsSeq() {
    playout.reset(7);
    playout.start(2);
    hold(2, IN_FORCE);
    hold(3, IN_FORCE);
    hold(4, CHANGE);
    hold(5, IN_FORCE);
    playout.run(1500, DEADLINE);
    assertThat(events).as("the header is not known yet").isEmpty();
    assertThat(playout.stalledOn(1500, DEADLINE)).isEqualTo(2);
    book.add(header(7, 0, "A"));
    playout.run(1500, DEADLINE);
    assertThat(events).containsExactly("header 0 A", "play 2", "play 3");
    assertThat(playout.stalledOn(2500, DEADLINE)).as("chunk 4 needs the header from 4")
        .isEqualTo(4);
    playout.run(2500, DEADLINE);
    assertThat(events).hasSize(3);
    book.add(header(8, 4, "other epoch"));
    playout.run(2500, DEADLINE);
    assertThat(events).hasSize(3);
    book.add(header(7, 4, "B"));
    playout.run(2500, DEADLINE);
    assertThat(events).containsExactly("header 0 A", "play 2", "play 3", "header 4 B", "play 4",
        "play 5");
    assertThat(playout.stalledOn(2500, DEADLINE)).isEqualTo(-1);
  }

  @Test
  void unflaggedChunksPlayWithoutHeader() {
    playout.reset(7);
    playout.start(0);
    hold(0, 0);
    hold(1, 0);
    playout.run(500, DEADLINE);
    assertThat(events).containsExactly("play 0", "play 1");
  }

  @Test
  void aNewEpochHandsItsHeaderOverAgain() {
    book.add(header(7, 0, "A"));
    playout.reset(7);
    playout.start(0);
    hold(0, CHANGE);
    playout.run(0, DEADLINE);
    playout.reset(9);
    playout.reset(7);
    playout.start(1);
    hold(1, IN_FORCE);
    playout.run(500, DEADLINE);
    assertThat(events).containsExactly("header 0 A", "play 0", "header 0 A", "play 1");
  }

  @Test
  void theBookIsBoundedAndKeepsTheNewestEpoch() {
    HeaderBook b = new HeaderBook();
    for (int i = 0; i < 20; i++) {
      b.add(header(1, i, "old " + i));
    }
    assertThat(b.size()).isEqualTo(HeaderBook.MAX);
    assertThat(b.inForce(1, 100).fromSeq()).isEqualTo(19);
    assertThat(b.inForce(1, 5)).as("the oldest went first").isNull();
    b.current(2);
    assertThat(b.add(header(2, 0, "current"))).isTrue();
    assertThat(b.add(header(2, 0, "current"))).as("a duplicate").isFalse();
    for (int i = 0; i < 20; i++) {
      b.add(header(1, 100 + i, "replayed " + i)); // old epoch again: never evicts epoch 2's
      b.add(header(2, 1 + i, "current " + i));
    }
    assertThat(b.size()).isEqualTo(HeaderBook.MAX);
    assertThat(b.of(2)).hasSizeGreaterThanOrEqualTo(HeaderBook.MAX - 1);
    assertThat(b.inForce(2, 1000).fromSeq()).isEqualTo(20);
  }
}
