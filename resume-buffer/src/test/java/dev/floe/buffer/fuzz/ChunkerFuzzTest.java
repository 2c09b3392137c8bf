package dev.floe.buffer.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.floe.buffer.StreamHeader;
import dev.floe.buffer.frame.Chunker;
import dev.floe.buffer.frame.ContentKind;
import dev.floe.icy.meta.IcyMetadata;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@link Chunker} for MPEG, Ogg and other content on hostile bytes, fed in hostile pieces with
 * metadata changes, flushes, ends and {@code dropUntilFrame()} calls. Contract checked:
 *
 * <ul>
 *   <li>no exception (in particular never "staging full");
 *   <li>every chunk is non-empty and at most {@code max(maxChunkBytes, longest frame)} long;
 *   <li>the concatenation of what is emitted (for Ogg each new header's bytes, then its chunks)
 *       equals the input, or, once {@code dropUntilFrame()} was called, is the input with some
 *       bytes left out; once an Ogg page was split into header and audio pages ({@link
 *       Chunker#pagesSplit()}: valid codec header packets paged with audio, which
 *       {@code OggHeaderRebuildTest} checks packet by packet) the bytes are paged anew and are
 *       not compared;
 *   <li>each chunk carries the metadata fed with its first byte (not checked after a split,
 *       whose offsets differ from the input's);
 *   <li>the bytes held inside (fed but not emitted) stay within the staging array plus, for Ogg,
 *       the header being collected;
 *   <li>without flushes and {@code dropUntilFrame()} calls, the chunk boundaries do not depend on
 *       how the feeds are split further (a drop called after bytes are staged discards up to the
 *       next frame confirmed, which depends on how far scanning got; Feed calls it before any).
 * </ul>
 */
class ChunkerFuzzTest {
  private static final int MAX_MPEG_FRAME = 8191;
  private static final int MAX_OGG_PAGE = 65_307;
  private static final IcyMetadata[] METAS = {
    IcyMetadata.EMPTY, IcyMetadata.of("A", null), IcyMetadata.of("B", "http://b")
  };

  private record Op(int kind, byte[] bytes, int meta) {}

  private static final int FEED = 0;
  private static final int FLUSH = 1;
  private static final int END = 2;
  private static final int DROP = 3;

  @FuzzTest(maxDuration = "5s")
  void chunk(FuzzedDataProvider data) {
    ContentKind kind = data.pickValue(ContentKind.values());
    int min = data.consumeInt(1, 4096);
    int max = min + data.consumeInt(0, 8192);
    long splitSeed = data.consumeLong();
    List<Op> ops = new ArrayList<>();
    while (data.remainingBytes() > 0 && ops.size() < 64) {
      int op = data.consumeInt(0, 11);
      if (op == 9) {
        ops.add(new Op(FLUSH, null, 0));
      } else if (op == 10) {
        ops.add(new Op(END, null, 0));
      } else if (op == 11) {
        ops.add(new Op(DROP, null, 0));
      } else {
        ops.add(new Op(FEED, data.consumeBytes(data.consumeInt(0, 20_000)), data.consumeInt(0, 2)));
      }
    }
    ops.add(new Op(END, null, 0));

    Run whole = run(kind, min, max, ops, 0);
    if (ops.stream().noneMatch(o -> o.kind() == FLUSH || o.kind() == DROP)) {
      Run split = run(kind, min, max, ops, splitSeed);
      assertThat(split.cuts).isEqualTo(whole.cuts);
    }
  }

  /** Output of one run: stream offsets where chunks end, and the emitted bytes. */
  private static final class Run {
    final List<Long> cuts = new ArrayList<>();
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    StreamHeader lastHeader;
    long headerBytes;
  }

  private static Run run(ContentKind kind, int min, int max, List<Op> ops, long splitSeed) {
    int frame = kind == ContentKind.MPEG ? MAX_MPEG_FRAME : kind == ContentKind.OGG ? MAX_OGG_PAGE : 0;
    long staging = (long) max + frame + 8 + (kind == ContentKind.OGG ? Chunker.MAX_HEADER_BYTES : 0);
    Run r = new Run();
    ByteArrayOutputStream in = new ByteArrayOutputStream();
    List<IcyMetadata> metaOf = new ArrayList<>(); // per input byte (when nothing is dropped)
    boolean[] dropped = {false};
    Chunker[] holder = new Chunker[1];
    Chunker c = new Chunker(kind, min, max, (frames, meta, header) -> {
      assertThat(meta).isNotNull();
      int n = frames.remaining();
      assertThat(n).isPositive().isLessThanOrEqualTo(Math.max(max, frame));
      appendHeader(r, header);
      if (!dropped[0] && holder[0].pagesSplit() == 0) {
        assertThat(meta).isEqualTo(metaOf.get(r.out.size()));
      }
      byte[] b = new byte[n];
      frames.get(b);
      r.out.write(b, 0, n);
      r.cuts.add((long) r.out.size());
    });
    holder[0] = c;
    SplittableRandom rnd = splitSeed == 0 ? null : new SplittableRandom(splitSeed);
    for (Op op : ops) {
      switch (op.kind()) {
        case FLUSH -> c.flush();
        case END -> c.end();
        case DROP -> {
          c.dropUntilFrame();
          dropped[0] |= kind == ContentKind.MPEG;
        }
        default -> {
          byte[] b = op.bytes();
          in.write(b, 0, b.length);
          for (int i = 0; i < b.length; i++) {
            metaOf.add(METAS[op.meta()]);
          }
          int pos = 0;
          do {
            int n = rnd == null ? b.length : Math.min(b.length - pos, rnd.nextInt(b.length + 1));
            c.feed(ByteBuffer.wrap(b, pos, n).slice(), METAS[op.meta()]);
            pos += n;
          } while (pos < b.length);
        }
      }
      appendHeader(r, c.header());
      assertThat((long) in.size() - r.out.size()).isLessThanOrEqualTo(staging);
    }
    byte[] got = r.out.toByteArray();
    byte[] want = in.toByteArray();
    if (c.pagesSplit() > 0) {
      return r; // paged anew: see the class comment
    }
    if (dropped[0]) {
      assertThat(isSubsequence(got, want)).as("output is the input with bytes left out").isTrue();
    } else {
      assertThat(got).isEqualTo(want);
    }
    return r;
  }

  /** Emits a header's bytes the first time it is seen, as a reader of the chunks would. */
  private static void appendHeader(Run r, StreamHeader header) {
    if (header != null && header != r.lastHeader) {
      r.lastHeader = header;
      ByteBuffer d = header.data().duplicate();
      byte[] b = new byte[d.remaining()];
      d.get(b);
      r.out.write(b, 0, b.length);
      r.headerBytes += b.length;
    }
  }

  private static boolean isSubsequence(byte[] sub, byte[] of) {
    int j = 0;
    for (int i = 0; i < of.length && j < sub.length; i++) {
      if (of[i] == sub[j]) {
        j++;
      }
    }
    return j == sub.length;
  }
}
