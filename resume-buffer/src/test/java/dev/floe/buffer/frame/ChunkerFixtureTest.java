package dev.floe.buffer.frame;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.buffer.StreamHeader;
import dev.floe.icy.meta.IcyMetadata;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chunker against real files made by ffmpeg, fed whole, split in two at every byte, byte by
 * byte and in random pieces, checked against independent reference scans of the same files.
 */
class ChunkerFixtureTest {

  record Config(int min, int max) {
    @Override
    public String toString() {
      return min + ".." + max;
    }
  }

  static final Config TYPICAL = new Config(1500, 6000);

  /** Typical; one frame per chunk (every frame is over the max); min = max; a large max. */
  static final List<Config> CONFIGS =
      List.of(TYPICAL, new Config(1, 1), new Config(3000, 3000), new Config(4096, 65536));

  /**
   * A test input and what the reference scan says about it.
   *
   * @param starts where a chunk may start: frame (data page) starts and ends, and 0
   * @param boundaries every frame and page start and end
   * @param frameLength length of each audio frame (data page), by its start
   * @param clean true when the input holds nothing but frames (and Ogg header pages)
   * @param headerRuns Ogg logical streams (runs of header pages)
   */
  record Case(
      String name,
      ContentKind kind,
      byte[] bytes,
      NavigableSet<Integer> starts,
      NavigableSet<Integer> boundaries,
      Map<Integer, Integer> frameLength,
      boolean clean,
      int headerRuns) {
    @Override
    public String toString() {
      return name;
    }

    boolean junkFree() {
      return clean;
    }
  }

  // ---------------------------------------------------------------- cases

  static final String[] MPEG_FIXTURES = {
    "mp3-cbr128.mp3",
    "mp3-vbr.mp3",
    "mp3-mpeg2-22k.mp3",
    "mp3-mpeg25-8k.mp3",
    "mp2-layer2.mp2",
    "aac-adts.aac"
  };

  static Stream<Case> cases() {
    List<Case> out = new ArrayList<>();
    for (String f : MPEG_FIXTURES) {
      byte[] d = Fixtures.load(f);
      out.add(mpegCase(f, d, List.of(new int[] {0, d.length}), true));
    }
    out.add(oggCase("opus.ogg", Fixtures.load("opus.ogg")));
    out.add(oggCase("vorbis.ogg", Fixtures.load("vorbis.ogg")));
    out.add(
        oggCase(
            "opus.ogg+vorbis.ogg (chained)",
            Fixtures.concat(Fixtures.load("opus.ogg"), Fixtures.load("vorbis.ogg"))));
    out.add(id3AndGarbageBeforeMp3());
    out.add(garbageInside("mp3-cbr128.mp3", 40, 500, true));
    out.add(garbageInside("aac-adts.aac", 30, 400, false));
    out.add(damagedVorbis());
    return out.stream();
  }

  /** MPEG frames in the given [from, to) ranges of {@code d}; anything else is junk. */
  static Case mpegCase(String name, byte[] d, List<int[]> frameRanges, boolean clean) {
    NavigableSet<Integer> starts = new TreeSet<>(Set.of(0));
    NavigableSet<Integer> boundaries = new TreeSet<>(Set.of(d.length));
    Map<Integer, Integer> lengths = new HashMap<>();
    for (int[] r : frameRanges) {
      for (int at : Fixtures.mpegFrames(d, r[0], r[1])) {
        int len = Fixtures.mpegFrameLength(d, at);
        starts.add(at);
        boundaries.add(at);
        if (at + len < d.length) {
          starts.add(at + len); // junk after a frame travels with the next chunk
        }
        boundaries.add(at + len);
        lengths.put(at, len);
      }
    }
    return new Case(name, ContentKind.MPEG, d, starts, boundaries, lengths, clean, 0);
  }

  static Case oggCase(String name, byte[] d) {
    return oggCase(name, d, Fixtures.oggPages(d, 0, d.length), true);
  }

  static Case oggCase(String name, byte[] d, List<Fixtures.Page> pages, boolean clean) {
    boolean[] header = Fixtures.headerPages(pages);
    NavigableSet<Integer> starts = new TreeSet<>();
    NavigableSet<Integer> boundaries = new TreeSet<>(Set.of(d.length));
    Map<Integer, Integer> lengths = new HashMap<>();
    int runs = 0;
    for (int i = 0; i < pages.size(); i++) {
      Fixtures.Page p = pages.get(i);
      boundaries.add(p.offset());
      if (header[i]) {
        if (i == 0 || !header[i - 1]) {
          runs++;
        }
      } else {
        starts.add(p.offset());
        lengths.put(p.offset(), p.length());
        if (p.offset() + p.length() < d.length) {
          starts.add(p.offset() + p.length()); // junk after a page travels with the next chunk
        }
        boundaries.add(p.offset() + p.length());
      }
    }
    return new Case(name, ContentKind.OGG, d, starts, boundaries, lengths, clean, runs);
  }

  static Case id3AndGarbageBeforeMp3() {
    byte[] mp3 = Fixtures.load("mp3-cbr128.mp3");
    byte[] prefix = Fixtures.concat(Fixtures.fakeId3(700), Fixtures.garbage(333, 1));
    byte[] d = Fixtures.concat(prefix, mp3);
    return mpegCase(
        "ID3v2 + garbage + mp3-cbr128.mp3", d, List.of(new int[] {prefix.length, d.length}), false);
  }

  /**
   * The first {@code frames} frames of a fixture, garbage, the rest, then (for MP3) an ID3v1 tag:
   * the frame before the garbage and the last frame are not followed by a header.
   */
  static Case garbageInside(String name, int frames, int garbage, boolean id3v1) {
    byte[] f = Fixtures.load(name);
    int cut = Fixtures.mpegFrames(f, 0, f.length).get(frames);
    byte[] tag = new byte[id3v1 ? 128 : 0];
    if (id3v1) {
      Arrays.fill(tag, (byte) ' ');
      tag[0] = 'T';
      tag[1] = 'A';
      tag[2] = 'G';
    }
    byte[] d =
        Fixtures.concat(
            Arrays.copyOfRange(f, 0, cut),
            Fixtures.garbage(garbage, 2),
            Arrays.copyOfRange(f, cut, f.length),
            tag);
    return mpegCase(
        name + " with garbage inside" + (id3v1 ? " and an ID3v1 tag" : ""),
        d,
        List.of(new int[] {0, cut}, new int[] {cut + garbage, cut + garbage + f.length - cut}),
        false);
  }

  /** Vorbis with garbage between two audio pages and a later audio page whose CRC is wrong. */
  static Case damagedVorbis() {
    byte[] v = Fixtures.load("vorbis.ogg");
    List<Fixtures.Page> pages = Fixtures.oggPages(v, 0, v.length);
    int at = pages.get(6).offset();
    byte[] g = Fixtures.garbage(300, 3);
    byte[] d = Fixtures.concat(Arrays.copyOfRange(v, 0, at), g, Arrays.copyOfRange(v, at, v.length));
    List<Fixtures.Page> shifted = new ArrayList<>();
    for (Fixtures.Page p : pages) {
      int off = p.offset() < at ? p.offset() : p.offset() + g.length;
      shifted.add(new Fixtures.Page(off, p.length(), p.flags(), p.granule()));
    }
    Fixtures.Page damaged = shifted.get(10);
    d[damaged.offset() + damaged.length() - 3] ^= 0x5A;
    return oggCase("vorbis.ogg with garbage and a bad CRC", d, shifted, false);
  }

  // ---------------------------------------------------------------- running

  /** Metadata changes: input offset -> metadata from there on. */
  static NavigableMap<Integer, IcyMetadata> noChanges() {
    NavigableMap<Integer, IcyMetadata> m = new TreeMap<>();
    m.put(0, IcyMetadata.of("one", null));
    return m;
  }

  /**
   * Feeds {@code c} in pieces that end at each of {@code cuts} (and at each metadata change),
   * then calls end().
   */
  static Recorder run(
      Case c, Config cfg, int[] cuts, NavigableMap<Integer, IcyMetadata> meta, boolean flushEach) {
    Recorder rec = new Recorder(c.bytes());
    Chunker chunker = new Chunker(c.kind(), cfg.min(), cfg.max(), rec);
    assertThat(chunker.capacity()).isEqualTo(cfg.max() + Chunker.maxFrame(c.kind()) + 8);
    TreeSet<Integer> ends = new TreeSet<>();
    for (int k : cuts) {
      if (k > 0 && k < c.bytes().length) {
        ends.add(k);
      }
    }
    ends.addAll(meta.keySet());
    ends.add(c.bytes().length);
    ends.remove(0);
    int from = 0;
    for (int to : ends) {
      chunker.feed(ByteBuffer.wrap(c.bytes(), from, to - from), meta.floorEntry(from).getValue());
      assertThat(chunker.staged()).isLessThanOrEqualTo(chunker.capacity());
      if (flushEach) {
        chunker.flush();
      }
      from = to;
    }
    chunker.end();
    assertThat(chunker.staged()).isZero();
    rec.assertComplete();
    return rec;
  }

  static Recorder whole(Case c, Config cfg) {
    return run(c, cfg, new int[0], noChanges(), false);
  }

  static int[] randomCuts(int length, long seed, int maxPiece) {
    Random r = new Random(seed);
    List<Integer> cuts = new ArrayList<>();
    for (int at = r.nextInt(maxPiece) + 1; at < length; at += r.nextInt(maxPiece) + 1) {
      cuts.add(at);
    }
    return cuts.stream().mapToInt(Integer::intValue).toArray();
  }

  // ---------------------------------------------------------------- checks

  /** Everything that must hold of any run fed without flush. */
  static void verify(Case c, Config cfg, Recorder rec, NavigableMap<Integer, IcyMetadata> meta) {
    List<Recorder.Rec> chunks = rec.chunks;
    assertThat(chunks).isNotEmpty();
    for (int i = 0; i < chunks.size(); i++) {
      Recorder.Rec ch = chunks.get(i);
      String where = c + " " + cfg + " chunk " + i + " at " + ch.inputStart();
      assertThat(c.starts()).as(where + ": starts at a frame boundary").contains(ch.inputStart());
      assertThat(c.boundaries())
          .as(where + ": ends at a frame boundary")
          .contains(ch.inputEnd());
      if (ch.length() > cfg.max()) {
        assertThat(c.frameLength().get(ch.inputStart()))
            .as(where + ": over the max, so a single frame")
            .isEqualTo(ch.length());
      }
      assertThat(ch.meta()).as(where + ": metadata").isEqualTo(meta.floorEntry(ch.inputStart()).getValue());
      // A change inside a chunk must lie within its last frame, or be undone within its frame.
      for (int x : meta.subMap(ch.inputStart(), false, ch.inputEnd(), false).keySet()) {
        int b = c.boundaries().ceiling(x);
        if (b != ch.inputEnd()) {
          assertThat(meta.floorEntry(b).getValue())
              .as(where + ": metadata change at " + x + " cuts at the next frame boundary")
              .isEqualTo(ch.meta());
        }
      }
      if (c.kind() == ContentKind.OGG) {
        assertThat(ch.header()).as(where + ": header").isNotNull();
      } else {
        assertThat(ch.header()).isNull();
      }
      if (i + 1 < chunks.size()) {
        Recorder.Rec next = chunks.get(i + 1);
        boolean cutByMeta = !next.meta().equals(ch.meta());
        boolean cutByHeader = next.header() != ch.header();
        Integer nextBoundary = c.boundaries().higher(ch.inputEnd());
        boolean cutByMax =
            nextBoundary != null && nextBoundary - ch.inputStart() > cfg.max();
        assertThat(ch.length() >= cfg.min() || cutByMeta || cutByHeader || cutByMax)
            .as(where + ": under the min (" + ch.length() + ") without a reason")
            .isTrue();
      }
      if (c.junkFree()) {
        // As soon as: without its last frame the chunk would be under the min.
        int lastFrame = c.boundaries().lower(ch.inputEnd());
        boolean oneFrame = lastFrame == ch.inputStart();
        assertThat(oneFrame || lastFrame - ch.inputStart() < cfg.min())
            .as(where + ": emitted as soon as min was reached")
            .isTrue();
      }
    }
    assertThat(rec.headers).as(c + ": header objects").hasSize(c.headerRuns());
  }

  // ---------------------------------------------------------------- tests

  @Test
  void referenceScanAgreesWithFfprobe() {
    for (String f : MPEG_FIXTURES) {
      byte[] d = Fixtures.load(f);
      List<Integer> frames = Fixtures.mpegFrames(d, 0, d.length);
      List<Integer> probed = Fixtures.ffprobeOffsets(f);
      if (f.equals("mp3-vbr.mp3")) {
        assertThat(frames.get(0)).isZero(); // the Xing frame, which ffprobe does not list
        frames = frames.subList(1, frames.size());
      }
      assertThat(frames).as(f).isEqualTo(probed);
    }
  }

  @Test
  void fixturesAreSmallAndReal() {
    for (String f : MPEG_FIXTURES) {
      assertThat(Fixtures.load(f).length).as(f).isBetween(4000, 40_000);
    }
    assertThat(Fixtures.load("opus.ogg").length).isBetween(4000, 40_000);
    assertThat(Fixtures.load("vorbis.ogg").length).isBetween(4000, 40_000);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void wholeFeedInEveryConfig(Case c) {
    for (Config cfg : CONFIGS) {
      if (!c.junkFree() && cfg.max() < 3 * cfg.min()) {
        continue; // a max cut may fall inside garbage, which is no frame boundary
      }
      verify(c, cfg, whole(c, cfg), noChanges());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void splitInTwoAtEveryByte(Case c) {
    List<String> expected = whole(c, TYPICAL).shape();
    for (int k = 0; k <= c.bytes().length; k++) {
      Recorder rec = run(c, TYPICAL, new int[] {k}, noChanges(), false);
      if (!rec.shape().equals(expected)) {
        verify(c, TYPICAL, rec, noChanges());
        assertThat(rec.shape()).as("split at " + k).isEqualTo(expected);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void byteByByte(Case c) {
    int[] every = new int[c.bytes().length];
    Arrays.setAll(every, i -> i);
    for (Config cfg : List.of(TYPICAL, new Config(1, 1))) {
      if (!c.junkFree() && cfg.max() < 3 * cfg.min()) {
        continue;
      }
      Recorder rec = run(c, cfg, every, noChanges(), false);
      verify(c, cfg, rec, noChanges());
      assertThat(rec.shape()).isEqualTo(whole(c, cfg).shape());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void randomPieces(Case c) {
    for (Config cfg : CONFIGS) {
      if (!c.junkFree() && cfg.max() < 3 * cfg.min()) {
        continue;
      }
      List<String> expected = whole(c, cfg).shape();
      for (long seed = 0; seed < 20; seed++) {
        int maxPiece = seed < 10 ? 64 : 5000;
        Recorder rec = run(c, cfg, randomCuts(c.bytes().length, seed, maxPiece), noChanges(), false);
        verify(c, cfg, rec, noChanges());
        assertThat(rec.shape()).as(cfg + " seed " + seed).isEqualTo(expected);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void metadataChangesCutChunks(Case c) {
    if (!c.junkFree()) {
      return; // a change inside garbage cuts inside the garbage: see ChunkerTest
    }
    for (Config cfg : CONFIGS) {
      for (long seed = 0; seed < 10; seed++) {
        Random r = new Random(seed);
        NavigableMap<Integer, IcyMetadata> meta = new TreeMap<>();
        meta.put(0, IcyMetadata.of("title 0", null));
        // Changes every 100..3000 bytes, some repeating the title in force (no change).
        for (int at = r.nextInt(3000); at < c.bytes().length; at += 100 + r.nextInt(2900)) {
          meta.put(at, IcyMetadata.of("title " + r.nextInt(4), null));
        }
        NavigableMap<Integer, IcyMetadata> changes = effectiveChanges(meta);
        List<String> expected = null;
        for (int[] cuts :
            List.of(new int[0], randomCuts(c.bytes().length, seed, 700), new int[] {1, 2, 3})) {
          Recorder rec = run(c, cfg, cuts, meta, false);
          verify(c, cfg, rec, changes);
          if (expected == null) {
            expected = rec.shape();
          } else {
            assertThat(rec.shape()).isEqualTo(expected);
          }
          // Each real change cuts at the first frame boundary at or after it.
          Set<Integer> made = new LinkedHashSet<>();
          rec.chunks.forEach(ch -> made.add(ch.inputStart()));
          rec.chunks.forEach(ch -> made.add(ch.inputEnd()));
          for (int x : changes.keySet()) {
            Integer b = c.boundaries().ceiling(x);
            Integer before = b == null ? null : c.boundaries().lower(b);
            boolean undone =
                before != null
                    && meta.floorEntry(b).getValue().equals(meta.floorEntry(before).getValue());
            if (x > 0 && b != null && b < c.bytes().length && !undone) {
              assertThat(made).as(cfg + " change at " + x).contains(b);
            }
          }
        }
      }
    }
  }

  /** The schedule without entries that repeat the metadata already in force. */
  static NavigableMap<Integer, IcyMetadata> effectiveChanges(NavigableMap<Integer, IcyMetadata> m) {
    NavigableMap<Integer, IcyMetadata> out = new TreeMap<>();
    IcyMetadata last = null;
    for (Map.Entry<Integer, IcyMetadata> e : m.entrySet()) {
      if (!e.getValue().equals(last)) {
        out.put(e.getKey(), e.getValue());
        last = e.getValue();
      }
    }
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void flushAfterEveryPieceEmitsWholeFramesOnly(Case c) {
    for (long seed = 0; seed < 5; seed++) {
      Recorder rec = run(c, TYPICAL, randomCuts(c.bytes().length, seed, 900), noChanges(), true);
      for (Recorder.Rec ch : rec.chunks) {
        assertThat(c.starts()).as(c + " seed " + seed).contains(ch.inputStart());
        assertThat(ch.length() <= TYPICAL.max() || c.frameLength().get(ch.inputStart()) == ch.length())
            .isTrue();
      }
      assertThat(rec.headers).hasSize(c.headerRuns());
    }
  }

  @Test
  void chainedOggGetsANewHeaderObject() {
    byte[] opus = Fixtures.load("opus.ogg");
    byte[] vorbis = Fixtures.load("vorbis.ogg");
    Case c = oggCase("chained", Fixtures.concat(opus, vorbis));
    Recorder rec = whole(c, TYPICAL);
    assertThat(rec.headers).hasSize(2);
    StreamHeader first = rec.headers.get(0);
    StreamHeader second = rec.headers.get(1);
    assertThat(first.length()).isEqualTo(47 + 74); // OpusHead and OpusTags pages
    assertThat(second.length()).isEqualTo(58 + 3166); // Vorbis identification, comment + setup
    for (Recorder.Rec ch : rec.chunks) {
      assertThat(ch.header()).isSameAs(ch.inputStart() < opus.length ? first : second);
    }
    // The last opus chunk ends exactly where the vorbis stream begins.
    assertThat(rec.chunks.stream().mapToInt(Recorder.Rec::inputEnd)).contains(opus.length);
  }
}
