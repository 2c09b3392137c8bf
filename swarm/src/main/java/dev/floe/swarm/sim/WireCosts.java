package dev.floe.swarm.sim;

import dev.floe.swarm.chunk.SignedChunk;
import dev.floe.swarm.chunk.NodeId;
import dev.floe.swarm.chunk.OriginKey;
import dev.floe.swarm.chunk.PeerRecord;
import dev.floe.swarm.schedule.WireSizes;
import dev.floe.swarm.wire.BufferMap;
import dev.floe.swarm.wire.Frame;
import dev.floe.swarm.wire.FrameEncoder;
import dev.floe.swarm.wire.PeerWire;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What each message the simulation sends costs on the real peer wire: the encoder's size of a
 * representative frame, a day into a 128 kbit/s stream of 0.5 s chunks (sequence numbers,
 * positions and times at a realistic varint width). The scheduler paces itself by the brief's
 * nominal sizes ({@link dev.floe.swarm.schedule.WireSizes}, larger than these); the simulation
 * counts and transmits what the node runtime would actually send, so its control overhead is
 * comparable with the one measured on sockets.
 */
final class WireCosts {
  /** CHUNK framing without the payload and without the signature (frame prefix included). */
  static final int CHUNK_HEADER;
  /** The Ed25519 signature every chunk carries. */
  static final int SIGNATURE = 64;
  /** BUFFER_MAP of a 64-chunk window with one chunk missing. */
  static final int BUFFER_MAP;
  /** REQUEST of one chunk. */
  static final int REQUEST;
  /** NOT_FOUND of one chunk. */
  static final int REFUSE;
  /** SUBSCRIBE. */
  static final int SUBSCRIBE;
  /** UNSUBSCRIBE (a refused SUBSCRIBE is answered with one too). */
  static final int UNSUBSCRIBE;
  /** One side's opening: the magic and a HELLO carrying the latest signed chunk header. */
  static final int HELLO;
  /** ANNOUNCE to the tracker. */
  static final int ANNOUNCE;
  /** PEERS with no record (the frame around records; also an ask for records). */
  static final int PEERS_FRAME;
  /** GOODBYE without alternatives (a dropped partner is told why). */
  static final int GOODBYE;
  /** One signed peer record in PEERS or in a GOODBYE's alternatives. */
  static final int PEER_RECORD;

  static {
    OriginKey key = OriginKey.generate();
    int epoch = 0x9E3779B9;
    long seq = 172_800;
    long time = 1_700_000_000_000L + 86_400_000L;
    byte[] payload = new byte[8_000];
    SignedChunk chunk = SignedChunk.sign(key, epoch, seq, 86_400L * 16_000, time, 496_000, 0, payload);
    CHUNK_HEADER = FrameEncoder.size(new Frame.ChunkData(chunk)) - payload.length - SIGNATURE;
    BitSet held = new BitSet();
    held.set(0, 64);
    held.clear(2);
    BUFFER_MAP = FrameEncoder.size(new BufferMap(epoch, seq, 64, held, 0b1010));
    REQUEST = FrameEncoder.size(new Frame.Request(epoch, List.of(seq)));
    REFUSE = FrameEncoder.size(new Frame.NotFound(epoch, List.of(seq)));
    SUBSCRIBE = FrameEncoder.size(new Frame.Subscribe(epoch, 3, seq));
    UNSUBSCRIBE = FrameEncoder.size(new Frame.Unsubscribe(3));
    SplittableRandom rnd = new SplittableRandom(1);
    byte[] id = new byte[16];
    rnd.nextBytes(id);
    NodeId node = NodeId.of(id);
    HELLO = PeerWire.magicBytes().length + FrameEncoder.size(new Frame.Hello(PeerWire.VERSION, 0,
        key.channelKey(), node, 8000, chunk.header()));
    ANNOUNCE = FrameEncoder.size(new Frame.Announce(8000, 1024, 6, 999_000));
    PEERS_FRAME = FrameEncoder.size(new Frame.Peers(7_000, List.of()));
    GOODBYE = FrameEncoder.size(new Frame.Goodbye(Frame.Reason.FULL, List.of()));
    PeerRecord record;
    try {
      record = PeerRecord.sign(key, node, InetAddress.getByName("198.51.100.7"), 8000, true, time);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
    PEER_RECORD = FrameEncoder.size(new Frame.Peers(7_000, List.of(record))) - PEERS_FRAME;
  }

  /** The same as a table, for what each scheduler action sends. */
  static final WireSizes.Table TABLE = new WireSizes.Table(CHUNK_HEADER, BUFFER_MAP, REQUEST,
      REFUSE, SUBSCRIBE, UNSUBSCRIBE, ANNOUNCE);

  private WireCosts() {}
}
