package dev.floe.swarm.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.swarm.wire.FrameException.Kind;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FrameCodecTest {
  private static List<Frame> decode(FrameDecoder d, ByteBuffer in) throws FrameException {
    List<Frame> out = new ArrayList<>();
    for (int guard = 0; guard < 10_000; guard++) {
      Frame f = d.next(in);
      if (f == null) {
        assertThat(in.hasRemaining()).isFalse();
        return out;
      }
      out.add(f);
    }
    throw new AssertionError("decoder did not stop");
  }

  @Test
  void everyTypeIsCovered() {
    Set<FrameType> seen = EnumSet.noneOf(FrameType.class);
    Frames.all().forEach(f -> seen.add(f.type()));
    assertThat(seen).containsExactlyInAnyOrder(FrameType.values());
  }

  @Test
  void wholeStreamDecodesToTheSameFramesAndReencodesByteExactly() throws FrameException {
    List<Frame> frames = decode(new FrameDecoder(), ByteBuffer.wrap(Frames.stream()));
    assertThat(frames).isEqualTo(Frames.all());
    for (Frame f : frames) {
      Frame again = decode(helloed(), ByteBuffer.wrap(FrameEncoder.encode(f))).get(0);
      assertThat(FrameEncoder.encode(again)).isEqualTo(FrameEncoder.encode(f));
    }
  }

  @Test
  void streamSplitAtEveryPositionDecodesTheSame() throws FrameException {
    byte[] s = Frames.stream();
    List<Frame> want = Frames.all();
    for (int cut = 0; cut <= s.length; cut++) {
      FrameDecoder d = new FrameDecoder();
      List<Frame> got = decode(d, ByteBuffer.wrap(s, 0, cut));
      got.addAll(decode(d, ByteBuffer.wrap(s, cut, s.length - cut)));
      assertThat(got).as("cut at %d", cut).isEqualTo(want);
    }
  }

  @Test
  void streamFedByteByByteDecodesTheSame() throws FrameException {
    byte[] s = Frames.stream();
    FrameDecoder d = new FrameDecoder();
    List<Frame> got = new ArrayList<>();
    for (byte b : s) {
      got.addAll(decode(d, ByteBuffer.wrap(new byte[] {b})));
    }
    assertThat(got).isEqualTo(Frames.all());
  }

  @Test
  void bufferMapOfAFullWindowIsTwelveBytesOnTheWire() {
    assertThat(FrameEncoder.size(Frames.map(300, 64))).isEqualTo(2 + 4 + 2 + 1 + 1 + 1);
    BufferMap holey = Frames.map(300, 64, 1, 5, 63);
    assertThat(holey.has(300)).isTrue();
    assertThat(holey.has(299)).isFalse();
    assertThat(holey.has(295)).isFalse();
    assertThat(holey.has(237)).isFalse();
    assertThat(holey.has(238)).isTrue();
    assertThat(holey.has(236)).isFalse();
    assertThat(holey.has(301)).isFalse();
    assertThatThrownBy(() -> Frames.map(300, 129)).hasMessageContaining("span");
    assertThatThrownBy(() -> Frames.map(300, 64, 0)).hasMessageContaining("edge");
    assertThatThrownBy(() -> Frames.map(10, 64)).hasMessageContaining("edgeSeq");
  }

  @Test
  void recordsRefuseOutOfRangeFields() {
    assertThatThrownBy(() -> new Frame.Request(1, List.of())).hasMessageContaining("1 to 16");
    assertThatThrownBy(() -> new Frame.Request(1, List.of(5L, 5L))).hasMessageContaining("ascending");
    assertThatThrownBy(() -> new Frame.Subscribe(1, 8, 0)).hasMessageContaining("substream");
    assertThatThrownBy(() -> new Frame.Announce(70000, 0, 0, 0)).hasMessageContaining("listenPort");
    List<dev.floe.swarm.chunk.PeerRecord> nine = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      nine.add(Frames.peer(i));
    }
    assertThatThrownBy(() -> new Frame.Goodbye(Frame.Reason.FULL, nine))
        .hasMessageContaining("exceeds 8");
  }

  @Test
  void optionalUnknownTypesAreSkipped() throws FrameException {
    ByteArrayOutputStream in = new ByteArrayOutputStream();
    byte[] hello = FrameEncoder.encode(Frames.all().get(0));
    in.writeBytes(PeerWire.magicBytes());
    in.writeBytes(hello);
    in.writeBytes(new byte[] {4, (byte) 0x80, 1, 2, 3, 1, (byte) 0xFF});
    in.writeBytes(FrameEncoder.encode(new Frame.Ping(7)));
    assertThat(decode(new FrameDecoder(), ByteBuffer.wrap(in.toByteArray())))
        .containsExactly(Frames.all().get(0), new Frame.Ping(7));
  }

  @Test
  void eachViolationHasItsKind() {
    assertKind(bytes('G', 'E', 'T', ' '), Kind.BAD_MAGIC);
    assertKind(bytes(0, 'F', 'L', 'O', 'X'), Kind.BAD_MAGIC);
    assertKind(magic(0x81, 0x00), Kind.BAD_LENGTH);
    assertKind(magic(0), Kind.EMPTY_FRAME);
    assertKind(magic(0xFF, 0xFF, 0x80), Kind.FRAME_TOO_LARGE);
    assertKind(magic(0xFF, 0xFF, 0x7F), Kind.FRAME_TOO_LARGE);
    assertKind(hello(20, 0x03), Kind.FRAME_TOO_LARGE);
    assertKind(hello(0x81, 0x20, 0x81), Kind.FRAME_TOO_LARGE);
    assertKind(hello(1, 0x7F), Kind.UNKNOWN_TYPE);
    assertKind(magic(9, 0x03, 0, 0, 0, 0, 0, 0, 0, 0), Kind.HELLO_EXPECTED);
    assertKind(hello(8, 0x03, 0, 0, 0, 0, 0, 0, 0), Kind.MALFORMED);
    assertKind(hello(10, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0), Kind.MALFORMED);
    assertKind(hello(3, 0x02, 99, 0), Kind.MALFORMED);
    assertKind(hello(7, 0x12, 0, 0, 0, 1, 0x80, 0), Kind.MALFORMED);
    assertKind(hello(2, 0x21, 8), Kind.MALFORMED);
  }

  private static byte[] bytes(int... b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = (byte) b[i];
    }
    return out;
  }

  private static byte[] magic(int... b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(PeerWire.magicBytes());
    out.writeBytes(bytes(b));
    return out.toByteArray();
  }

  private static byte[] hello(int... b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(PeerWire.magicBytes());
    out.writeBytes(FrameEncoder.encode(Frames.all().get(0)));
    out.writeBytes(bytes(b));
    return out.toByteArray();
  }

  private static void assertKind(byte[] in, Kind kind) {
    FrameDecoder d = new FrameDecoder();
    assertThatThrownBy(() -> decode(d, ByteBuffer.wrap(in))).isInstanceOfSatisfying(
        FrameException.class, e -> assertThat(e.kind()).as(e.getMessage()).isEqualTo(kind));
    // A failed decoder stays failed.
    assertThatThrownBy(() -> d.next(ByteBuffer.wrap(PeerWire.magicBytes())))
        .isInstanceOfSatisfying(FrameException.class, e -> assertThat(e.kind()).isEqualTo(kind));
  }

  @Test
  void largestObjectsFitTheirTypeLimits() {
    Frame meta = new Frame.Metadata(dev.floe.swarm.chunk.MetadataRecord.sign(Frames.KEY, -1,
        Long.MAX_VALUE, "t".repeat(4080), "u".repeat(4080)));
    Frame chunk = new Frame.ChunkData(dev.floe.swarm.chunk.SignedChunk.sign(Frames.KEY, -1,
        Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Integer.MAX_VALUE, 0xFFFF,
        new byte[dev.floe.swarm.chunk.SignedChunk.MAX_PAYLOAD]));
    List<dev.floe.swarm.chunk.PeerRecord> many = new ArrayList<>();
    for (int i = 1; i <= Frame.MAX_PEERS; i++) {
      many.add(Frames.peer(2 * i - 1));
    }
    Frame peers = new Frame.Peers(600_000, many);
    for (Frame f : List.of(meta, chunk, peers)) {
      byte[] b = FrameEncoder.encode(f);
      assertThat(b.length).isLessThanOrEqualTo(f.type().maxLength() + 3);
    }
    assertThat(FrameType.of(0x14)).isEqualTo(FrameType.CHUNK);
    assertThat(FrameType.of(0x7F)).isNull();
  }

  private static FrameDecoder helloed() throws FrameException {
    FrameDecoder d = new FrameDecoder();
    ByteBuffer pre = ByteBuffer.wrap(Frames.stream(), 0,
        8 + FrameEncoder.size(Frames.all().get(0)));
    assertThat(d.next(pre)).isInstanceOf(Frame.Hello.class);
    return d;
  }
}
