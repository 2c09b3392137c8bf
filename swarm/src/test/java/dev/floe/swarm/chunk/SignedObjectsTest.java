package dev.floe.swarm.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class SignedObjectsTest {
  private static final OriginKey KEY = OriginKey.generate();
  private static final ChannelKey OTHER = OriginKey.generate().channelKey();
  private static final long T = 1_700_000_000_000L;

  static byte[] payload(int n) {
    byte[] b = new byte[n];
    new SplittableRandom(n).nextBytes(b);
    return b;
  }

  static SignedChunk chunk() {
    return SignedChunk.sign(KEY, 0xCAFEBABE, 1234, 9_876_543, T, 496_000, ChunkHeader.FLAG_HEADER_CHANGE,
        payload(48));
  }

  static PeerRecord peer() throws Exception {
    return PeerRecord.sign(KEY, NodeId.of(payload(16)), InetAddress.getByName("203.0.113.7"), 8000,
        true, T + 600_000);
  }

  private static List<Signed> samples() throws Exception {
    return List.of(chunk(), chunk().header(),
        SignedStreamHeader.sign(KEY, 7, 0, "OggS-header-pages".getBytes()),
        MetadataRecord.sign(KEY, 7, 42, "Artist – Title ♪", "https://station.example/"),
        EndOfStream.sign(KEY, 7, 100), peer(),
        PeerRecord.sign(KEY, NodeId.of(payload(16)), InetAddress.getByName("2001:db8::1"), 8443,
            false, T));
  }

  private static Signed read(Signed like, byte[] bytes) {
    FieldReader in = new FieldReader(ByteBuffer.wrap(bytes));
    Function<FieldReader, Signed> reader = like instanceof SignedChunk ? SignedChunk::read
        : like instanceof ChunkHeader ? ChunkHeader::read
        : like instanceof SignedStreamHeader ? SignedStreamHeader::read
        : like instanceof MetadataRecord ? MetadataRecord::read
        : like instanceof EndOfStream ? EndOfStream::read : PeerRecord::read;
    Signed s = reader.apply(in);
    in.end("object");
    return s;
  }

  @Test
  void everyObjectVerifiesAndRoundTripsByteExactly() throws Exception {
    for (Signed s : samples()) {
      assertThat(s.verify(KEY.channelKey())).as("%s", s).isTrue();
      Signed back = read(s, s.toBytes());
      assertThat(back).isEqualTo(s);
      assertThat(back.toBytes()).isEqualTo(s.toBytes());
      assertThat(back.verify(KEY.channelKey())).isTrue();
    }
  }

  @Test
  void wrongChannelKeyIsRejected() throws Exception {
    for (Signed s : samples()) {
      assertThat(s.verify(OTHER)).as("%s", s).isFalse();
    }
  }

  @Test
  void oneFlippedBitAnywhereInAChunkIsRejected() {
    byte[] good = chunk().toBytes();
    for (int bit = 0; bit < good.length * 8; bit++) {
      byte[] bad = good.clone();
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      assertThat(rejected(chunk(), bad)).as("bit %d", bit).isTrue();
    }
  }

  @Test
  void oneFlippedBitInEachByteOfEveryOtherObjectIsRejected() throws Exception {
    for (Signed s : samples()) {
      byte[] good = s.toBytes();
      for (int i = 0; i < good.length; i++) {
        byte[] bad = good.clone();
        bad[i] ^= (byte) (1 << (i % 8));
        assertThat(rejected(s, bad)).as("%s byte %d", s, i).isTrue();
      }
    }
  }

  private static boolean rejected(Signed like, byte[] bytes) {
    try {
      return !read(like, bytes).verify(KEY.channelKey());
    } catch (IllegalArgumentException malformed) {
      return true;
    }
  }

  @Test
  void signaturesAreDomainSeparated() {
    // The same fields under another kind's tag do not verify.
    EndOfStream end = EndOfStream.sign(KEY, 7, 100);
    assertThat(new String(end.signedMessage(), 0, 21)).isEqualTo("floe/1 end-of-stream\0");
    assertThat(KEY.channelKey().verifies(chunk().header().signedMessage(), end.signature()))
        .isFalse();
  }

  @Test
  void truncatedOrPaddedPayloadFailsVerification() {
    byte[] good = chunk().toBytes();
    SignedChunk cut = SignedChunk.read(new FieldReader(ByteBuffer.wrap(good, 0, good.length - 1)));
    assertThat(cut.heldLength()).isEqualTo(47);
    assertThat(cut.header().payloadLength()).isEqualTo(48);
    assertThat(cut.verify(KEY.channelKey())).isFalse();
    byte[] padded = Arrays.copyOf(good, good.length + 1);
    assertThat(SignedChunk.read(new FieldReader(ByteBuffer.wrap(padded))).verify(KEY.channelKey()))
        .isFalse();
  }

  @Test
  void headerAloneVerifiesAndBindsThePayloadDigest() {
    SignedChunk c = chunk();
    assertThat(c.header().verify(KEY.channelKey())).isTrue();
    assertThat(c.header().digest()).isEqualTo(ChunkHeader.sha256(c.payload()));
    assertThat(c.header().payloadLength()).isEqualTo(48);
    assertThat(c.header().position()).isEqualTo(9_876_543);
  }

  @Test
  void fieldsAreChecked() {
    assertThatThrownBy(() -> SignedChunk.sign(KEY, 1, -1, 0, T, 0, 0, new byte[1]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SignedChunk.sign(KEY, 1, 0, 0, T, 0, 0x10000, new byte[1]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SignedChunk.sign(KEY, 1, 0, 0, T, 0, 0, new byte[SignedChunk.MAX_PAYLOAD + 1]))
        .hasMessageContaining("exceeds");
    assertThatThrownBy(() -> MetadataRecord.sign(KEY, 1, 0, "x".repeat(4081), ""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void malformedWireFormsNameTheField() {
    assertThatThrownBy(() -> EndOfStream.read(new FieldReader(ByteBuffer.wrap(new byte[3]))))
        .hasMessage("epoch: truncated");
    byte[] overlong = {0, 0, 0, 1, (byte) 0x80, 0};
    assertThatThrownBy(() -> EndOfStream.read(new FieldReader(ByteBuffer.wrap(overlong))))
        .hasMessage("nextSeq: overlong varint");
  }

  @Test
  void signAndVerifyCost() {
    // Not a benchmark (bench/ does not depend on swarm): a figure for the log, bounded in time.
    byte[] p = payload(8000);
    long t0 = System.nanoTime();
    SignedChunk c = null;
    for (int i = 0; i < 50; i++) {
      c = SignedChunk.sign(KEY, 1, i, 0, T, 500_000, 0, p);
    }
    long t1 = System.nanoTime();
    for (int i = 0; i < 50; i++) {
      assertThat(c.verify(KEY.channelKey())).isTrue();
    }
    long t2 = System.nanoTime();
    System.out.printf("8000-byte chunk: sign %.2f ms, verify %.2f ms (mean of 50, cold JIT)%n",
        (t1 - t0) / 50e6, (t2 - t1) / 50e6);
  }
}
