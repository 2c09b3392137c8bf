package dev.floe.swarm.wire;

import dev.floe.swarm.chunk.SignedChunk;
import dev.floe.swarm.chunk.ChunkHeader;
import dev.floe.swarm.chunk.EndOfStream;
import dev.floe.swarm.chunk.MetadataRecord;
import dev.floe.swarm.chunk.NodeId;
import dev.floe.swarm.chunk.OriginKey;
import dev.floe.swarm.chunk.PeerRecord;
import dev.floe.swarm.chunk.SignedStreamHeader;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;

/** One sample of every frame type, signed with a fixed test key. */
final class Frames {
  static final OriginKey KEY = OriginKey.generate();
  static final long T = 1_700_000_000_000L;

  private Frames() {}

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  static PeerRecord peer(int i) {
    try {
      InetAddress a = i % 2 == 0 ? InetAddress.getByName("198.51.100." + i)
          : InetAddress.getByName("2001:db8::" + i);
      return PeerRecord.sign(KEY, NodeId.of(random(16, i)), a, 8000 + i, i % 3 == 0, T + i);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  static BufferMap map(long edge, int span, int... missing) {
    BitSet held = new BitSet();
    held.set(0, span);
    for (int m : missing) {
      held.clear(m);
    }
    return new BufferMap(0x01020304, edge, span, held, 0b1010);
  }

  static List<Frame> all() {
    SignedChunk chunk = SignedChunk.sign(KEY, -7, 300, 2_400_000, T, 496_000, 0, random(100, 1));
    ChunkHeader latest = chunk.header();
    return List.of(
        new Frame.Hello(PeerWire.VERSION, 5, KEY.channelKey(), NodeId.of(random(16, 2)), 8000,
            latest),
        new Frame.Hello(PeerWire.VERSION, 0, KEY.channelKey(), NodeId.of(random(16, 3)), 0, null),
        new Frame.Goodbye(Frame.Reason.SHUTDOWN, List.of(peer(1), peer(2))),
        new Frame.Reject(Frame.Reason.FULL, List.of(peer(3))),
        new Frame.Ping(-1L), new Frame.Pong(0x0102030405060708L),
        map(300, 64), map(300, 64, 1, 5, 63), map(0, 0), map(200, 128, 127),
        new Frame.Have(9, List.of(1L, 2L, 300L)),
        new Frame.Request(-9, List.of(0L, 1L << 40)),
        new Frame.NotFound(0, List.of(Long.MAX_VALUE)),
        new Frame.ChunkData(chunk),
        new Frame.Header(SignedStreamHeader.sign(KEY, -7, 0, random(300, 4))),
        new Frame.Metadata(MetadataRecord.sign(KEY, -7, 290, "Ärtist - Tïtle", "")),
        new Frame.End(EndOfStream.sign(KEY, -7, 301)),
        new Frame.Subscribe(-7, 3, 299), new Frame.Unsubscribe(2),
        new Frame.Announce(8000, 1024, 6, 999_000),
        new Frame.Peers(8000, List.of(peer(4), peer(5), peer(6))));
  }

  /** The magic, then every sample frame (HELLO first). */
  static byte[] stream() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(PeerWire.magicBytes());
    all().forEach(f -> out.writeBytes(FrameEncoder.encode(f)));
    return out.toByteArray();
  }
}
