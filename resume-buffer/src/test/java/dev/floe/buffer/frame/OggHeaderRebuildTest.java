package dev.floe.buffer.frame;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.buffer.StreamHeader;
import dev.floe.icy.meta.IcyMetadata;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Ogg headers rebuilt from the header packets, whatever the encoder's paging, and the title from
 * the comment header; every stream is fed split at every position.
 */
class OggHeaderRebuildTest {
  /** A page holding whole packets (the last one may be marked as continuing). */
  static byte[] page(int flags, long granule, int serial, int seq, byte[]... packets) {
    ByteArrayOutputStream lacing = new ByteArrayOutputStream();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] p : packets) {
      int n = p.length;
      while (n >= 255) {
        lacing.write(255);
        n -= 255;
      }
      lacing.write(n);
      body.writeBytes(p);
    }
    byte[] lace = lacing.toByteArray();
    byte[] b = body.toByteArray();
    byte[] p = new byte[27 + lace.length + b.length];
    p[0] = 'O';
    p[1] = 'g';
    p[2] = 'g';
    p[3] = 'S';
    p[5] = (byte) flags;
    for (int i = 0; i < 8; i++) {
      p[6 + i] = (byte) (granule >>> (8 * i));
    }
    for (int i = 0; i < 4; i++) {
      p[14 + i] = (byte) (serial >>> (8 * i));
      p[18 + i] = (byte) (seq >>> (8 * i));
    }
    p[26] = (byte) lace.length;
    System.arraycopy(lace, 0, p, 27, lace.length);
    System.arraycopy(b, 0, p, 27 + lace.length, b.length);
    int crc = OggPagesTest.bitwiseCrc(p);
    for (int i = 0; i < 4; i++) {
      p[22 + i] = (byte) (crc >>> (8 * i));
    }
    return p;
  }

  static byte[] vorbisIdent() {
    byte[] p = new byte[30];
    byte[] magic = "\u0001vorbis".getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(magic, 0, p, 0, magic.length);
    p[11] = 2;
    return p;
  }

  /** A comment packet: {@code prefix}, vendor, then the fields. */
  static byte[] comments(String prefix, String... fields) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.writeBytes(prefix.getBytes(StandardCharsets.ISO_8859_1));
    byte[] vendor = "Xiph.Org libVorbis I 20200704 (Reducing Environment)"
        .getBytes(StandardCharsets.UTF_8);
    le32(o, vendor.length);
    o.writeBytes(vendor);
    le32(o, fields.length);
    for (String f : fields) {
      byte[] b = f.getBytes(StandardCharsets.UTF_8);
      le32(o, b.length);
      o.writeBytes(b);
    }
    if (prefix.startsWith("\u0003")) {
      o.write(1); // framing bit
    }
    return o.toByteArray();
  }

  private static void le32(ByteArrayOutputStream o, int v) {
    for (int i = 0; i < 4; i++) {
      o.write(v >>> (8 * i));
    }
  }

  /** A Vorbis setup packet of {@code n} bytes (its magic, then filler). */
  static byte[] setup(int n) {
    byte[] p = filled(n, 5);
    byte[] magic = "\u0005vorbis".getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(magic, 0, p, 0, magic.length);
    return p;
  }

  static byte[] filled(int n, int fill) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) fill);
    return b;
  }

  /** What a sink saw: each header in force and the chunk bytes after it. */
  static final class Seen implements Chunker.Sink {
    final List<StreamHeader> headers = new ArrayList<>();
    final ByteArrayOutputStream played = new ByteArrayOutputStream();
    final List<byte[]> chunksOfLastHeader = new ArrayList<>();

    @Override
    public void chunk(ByteBuffer frames, IcyMetadata meta, StreamHeader header) {
      if (headers.isEmpty() || headers.get(headers.size() - 1) != header) {
        headers.add(header);
        byte[] h = new byte[header.length()];
        header.data().get(h);
        played.writeBytes(h);
      }
      byte[] b = new byte[frames.remaining()];
      frames.get(b);
      played.writeBytes(b);
    }
  }

  /** Feeds {@code d} in two parts split at {@code split}, then ends. */
  static Seen feed(byte[] d, int split) {
    Seen s = new Seen();
    Chunker c = new Chunker(ContentKind.OGG, 200, 8192, s);
    c.feed(ByteBuffer.wrap(d, 0, split), IcyMetadata.EMPTY);
    c.feed(ByteBuffer.wrap(d, split, d.length - split), IcyMetadata.EMPTY);
    c.end();
    return s;
  }

  /** The packets of a run of whole pages, in order. */
  static List<byte[]> packets(byte[] d) {
    List<byte[]> out = new ArrayList<>();
    ByteArrayOutputStream partial = new ByteArrayOutputStream();
    int at = 0;
    while (at < d.length) {
      long len = OggPages.parse(d, at, d.length - at);
      assertThat(len).as("a valid page at %d", at).isPositive();
      int segments = d[at + 26] & 0xFF;
      int pos = at + 27 + segments;
      for (int i = 0; i < segments; i++) {
        int lace = d[at + 27 + i] & 0xFF;
        partial.write(d, pos, lace);
        pos += lace;
        if (lace < 255) {
          out.add(partial.toByteArray());
          partial.reset();
        }
      }
      at += (int) len;
    }
    return out;
  }

  @Test
  void mpdStyleHeaderSharingAPageWithAudioIsRebuiltAsHeaderPages() {
    byte[] ident = vorbisIdent();
    byte[] comment = comments("\u0003vorbis", "ARTIST=Daft Punk", "title=One More Time",
        "ALBUM=Discovery");
    byte[] setup = setup(3000); // spans several segments
    byte[] audio1 = filled(400, 6);
    byte[] audio2 = filled(90, 7);
    byte[] bos = page(2, 0, 77, 0, ident);
    byte[] mixed = page(0, 4096, 77, 1, comment, setup, audio1, audio2);
    byte[] next = page(0, 8192, 77, 2, filled(700, 8));
    byte[] d = concat(bos, mixed, next);
    for (int split = 0; split <= d.length; split++) {
      Seen s = feed(d, split);
      assertThat(s.headers).as("split %d", split).hasSize(1);
      StreamHeader h = s.headers.get(0);
      assertThat(h.title()).isEqualTo("Daft Punk - One More Time");
      byte[] header = new byte[h.length()];
      h.data().get(header);
      // the header: the BOS page as sent, then one page with comment and setup, granule 0
      assertThat(Arrays.copyOf(header, bos.length)).isEqualTo(bos);
      byte[] rebuilt = Arrays.copyOfRange(header, bos.length, header.length);
      assertThat(rebuilt).isEqualTo(page(0, 0, 77, 1, comment, setup));
      // the stream: the audio packets of the split page on a page of their own, then the rest
      byte[] all = s.played.toByteArray();
      byte[] chunks = Arrays.copyOfRange(all, header.length, all.length);
      assertThat(chunks).isEqualTo(concat(page(0, 4096, 77, 1, audio1, audio2), next));
      assertThat(packets(all)).containsExactly(ident, comment, setup, audio1, audio2,
          filled(700, 8));
    }
  }

  @Test
  void wellPagedHeadersAreKeptByteForByteAndOpusTagsGiveTheTitle() {
    byte[] head = "OpusHead".getBytes(StandardCharsets.ISO_8859_1);
    byte[] opusHead = Arrays.copyOf(head, 19);
    opusHead[8] = 1;
    opusHead[9] = 2;
    byte[] tags = comments("OpusTags", "TITLE=Night Call", "ARTIST=Kavinsky");
    byte[] bos = page(2, 0, 5, 0, opusHead);
    byte[] tagsPage = page(0, 0, 5, 1, tags);
    byte[] audio = page(0, 960, 5, 2, filled(300, 1));
    byte[] zeroGranuleAudio = page(0, 0, 5, 3, filled(50, 2)); // after the header: audio
    byte[] d = concat(bos, tagsPage, audio, zeroGranuleAudio);
    for (int split = 0; split <= d.length; split++) {
      Seen s = feed(d, split);
      assertThat(s.headers).hasSize(1);
      assertThat(s.headers.get(0).title()).isEqualTo("Kavinsky - Night Call");
      assertThat(s.headers.get(0).length()).isEqualTo(bos.length + tagsPage.length);
      assertThat(s.played.toByteArray()).isEqualTo(d);
    }
  }

  @Test
  void eachChainedStreamBringsItsOwnTitle() {
    byte[] a = concat(page(2, 0, 1, 0, vorbisIdent()),
        page(0, 2048, 1, 1, comments("\u0003vorbis", "TITLE=First"), setup(500),
            filled(200, 4)),
        page(4, 4096, 1, 2, filled(300, 5)));
    byte[] b = concat(page(2, 0, 2, 0, vorbisIdent()),
        page(0, 2048, 2, 1, comments("\u0003vorbis", "ARTIST=Someone", "TITLE=Second"),
            setup(500), filled(200, 4)),
        page(0, 4096, 2, 2, filled(300, 5)));
    byte[] d = concat(a, b);
    for (int split = 0; split <= d.length; split += 7) {
      Seen s = feed(d, split);
      assertThat(s.headers).extracting(StreamHeader::title)
          .containsExactly("First", "Someone - Second");
      assertThat(packets(s.played.toByteArray())).hasSize(10);
    }
  }

  @Test
  void unknownCodecsKeepThePageRule() {
    byte[] bos = page(2, 0, 9, 0, filled(30, 1));
    byte[] hdr = page(0, 0, 9, 1, filled(300, 2));
    byte[] data = page(0, 100, 9, 2, filled(600, 3));
    byte[] d = concat(bos, hdr, data);
    Seen s = feed(d, 40);
    assertThat(s.headers.get(0).length()).isEqualTo(bos.length + hdr.length);
    assertThat(s.headers.get(0).title()).isNull();
    assertThat(s.played.toByteArray()).isEqualTo(d);
  }

  static byte[] concat(byte[]... parts) {
    return Fixtures.concat(parts);
  }
}
