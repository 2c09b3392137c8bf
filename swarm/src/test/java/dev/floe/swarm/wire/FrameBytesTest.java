package dev.floe.swarm.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.swarm.chunk.SignedChunk;
import dev.floe.swarm.chunk.FieldWriter;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The encoder that writes each frame once, straight into its destination, puts on the wire the
 * same bytes as the encoder before it (which built the payload in one array, then copied it
 * into a second behind the length and type), for every frame type.
 */
class FrameBytesTest {
  /** The encoder before the single-copy one, kept here as the reference. */
  private static byte[] twoArrayEncode(Frame frame) {
    FieldWriter payload = new FieldWriter();
    frame.writePayload(payload);
    return new FieldWriter().varint(1 + payload.size()).u8(frame.type().code())
        .bytes(payload.toByteArray()).toByteArray();
  }

  private static List<Frame> samples() {
    List<Frame> all = new ArrayList<>(Frames.all());
    // A chunk of 1 s at 128 kbit/s: a three-byte length prefix.
    all.add(new Frame.ChunkData(SignedChunk.sign(Frames.KEY, 3, 1 << 20, 1L << 33, Frames.T, 1_000_000,
        0, Frames.random(16_000, 9))));
    return all;
  }

  @Test
  void everyFrameTypeEncodesToTheBytesOfTheTwoArrayEncoder() {
    Set<FrameType> seen = EnumSet.noneOf(FrameType.class);
    for (Frame f : samples()) {
      byte[] old = twoArrayEncode(f);
      assertThat(FrameEncoder.encode(f)).as("%s", f.type()).isEqualTo(old);
      assertThat(FrameEncoder.size(f)).as("%s", f.type()).isEqualTo(old.length);
      ByteBuffer direct = ByteBuffer.allocateDirect(old.length + 3).put(new byte[] {7, 7, 7});
      FrameEncoder.encode(f, direct);
      assertThat(direct.position()).isEqualTo(old.length + 3);
      byte[] written = new byte[old.length];
      direct.position(3);
      direct.get(written);
      assertThat(written).as("%s into a direct buffer", f.type()).isEqualTo(old);
      seen.add(f.type());
    }
    assertThat(seen).isEqualTo(EnumSet.allOf(FrameType.class));
  }

  /** Bytes written by the encoder of commit 2ab5b7f (unsigned frames: no random key). */
  @Test
  void unsignedFramesKeepTheirRecordedBytes() {
    BitSet held = new BitSet();
    held.set(0, 64);
    held.clear(1);
    held.clear(5);
    held.clear(63);
    List<Frame> frames = List.of(
        new Frame.Goodbye(Frame.Reason.SHUTDOWN, List.of()),
        new Frame.Reject(Frame.Reason.FULL, List.of()),
        new Frame.Ping(-1L), new Frame.Pong(0x0102030405060708L),
        new BufferMap(0x01020304, 300, 64, held, 0b1010),
        new BufferMap(0x01020304, 0, 0, new BitSet(), 0b1010),
        new Frame.Have(9, List.of(1L, 2L, 300L)),
        new Frame.Request(-9, List.of(0L, 1L << 40)),
        new Frame.NotFound(0, List.of(Long.MAX_VALUE)),
        new Frame.Subscribe(-7, 3, 299), new Frame.Unsubscribe(2),
        new Frame.Announce(8000, 1024, 6, 999_000),
        new Frame.Peers(8000, List.of()));
    List<String> hex = frames.stream().map(f -> HexFormat.of().formatHex(FrameEncoder.encode(f)))
        .toList();
    assertThat(hex).containsExactly(
        "03020000", "03050100", "0903ffffffffffffffff", "09040102030405060708",
        "121001020304ac02400811000000000000400a", "0910010203040000000a",
        "0a1100000009030100a902", "0d12fffffff70200ffffffffff1f",
        "0f150000000001ffffffffffffffff7f", "0820fffffff903ab02", "022102",
        "0960c03e800806d8fc3c", "0461c03e00");
  }

  @Test
  void aBufferTooSmallOverflowsRatherThanTruncating() {
    Frame ping = new Frame.Ping(1);
    assertThatThrownBy(() -> FrameEncoder.encode(ping, ByteBuffer.allocate(FrameEncoder.size(ping) - 1)))
        .isInstanceOf(BufferOverflowException.class);
  }

  @Test
  void aCounterKeepsNoBytes() {
    FieldWriter counter = FieldWriter.counter().varint(300).bytes(new byte[1000]).u64(1);
    assertThat(counter.size()).isEqualTo(2 + 1000 + 8);
    assertThatThrownBy(counter::toByteArray).isInstanceOf(IllegalStateException.class);
  }
}
