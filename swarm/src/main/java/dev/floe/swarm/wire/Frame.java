package dev.floe.swarm.wire;

import dev.floe.swarm.chunk.ChannelKey;
import dev.floe.swarm.chunk.SignedChunk;
import dev.floe.swarm.chunk.ChunkHeader;
import dev.floe.swarm.chunk.EndOfStream;
import dev.floe.swarm.chunk.FieldReader;
import dev.floe.swarm.chunk.FieldWriter;
import dev.floe.swarm.chunk.MetadataRecord;
import dev.floe.swarm.chunk.NodeId;
import dev.floe.swarm.chunk.PeerRecord;
import dev.floe.swarm.chunk.SignedStreamHeader;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One peer wire frame, as an immutable value. Each record validates its fields on construction
 * ({@link IllegalArgumentException}), so a frame that exists can be encoded; the decoder turns the
 * same failures into {@link FrameException.Kind#MALFORMED}. Byte layouts are in {@code
 * docs/swarm-protocol.md}; integers are varints unless the layout says otherwise.
 *
 * <p>Over 400 lines because it is every frame type of the protocol as a record with its own read
 * and write, one place per byte layout; each record is short.
 */
public sealed interface Frame permits Frame.Hello, Frame.Goodbye, Frame.Reject, Frame.Ping,
    Frame.Pong, BufferMap, Frame.Have, Frame.Request, Frame.NotFound, Frame.ChunkData, Frame.Header,
    Frame.Metadata, Frame.End, Frame.Subscribe, Frame.Unsubscribe, Frame.Announce, Frame.Peers {
  /** Most seqs in one HAVE, REQUEST or NOT_FOUND. */
  int MAX_SEQS = 16;
  /** Most records in PEERS. */
  int MAX_PEERS = 32;
  /** Most alternatives in GOODBYE or REJECT. */
  int MAX_ALTERNATIVES = 8;

  /** The frame's type. */
  FrameType type();

  /** Writes the payload (after the type byte). */
  void writePayload(FieldWriter out);

  /** Why a connection is closed or refused. Codes are stable; an unknown one is malformed. */
  enum Reason {
    SHUTDOWN, FULL, VERSION, WRONG_CHANNEL, PROTOCOL_ERROR, FORGED, BANNED, FLOODING, IDLE,
    REPLACED;

    static Reason read(FieldReader in) {
      int code = in.u8("reason");
      if (code >= values().length) {
        throw new IllegalArgumentException("unknown reason " + code);
      }
      return values()[code];
    }
  }

  /**
   * First frame each way. {@code latest} is the sender's newest verified chunk header (null when
   * it has none yet): a signed, verifiable live edge for the joiner. {@code listenPort} 0 means
   * the sender accepts no connections. {@code features} is a bit set, negotiated as the
   * intersection of both sides'.
   */
  record Hello(int version, long features, ChannelKey channel, NodeId node, int listenPort,
      ChunkHeader latest) implements Frame {
    public Hello {
      checkRange("version", version, 0, 0xFFFF);
      checkRange("features", features, 0, Long.MAX_VALUE);
      checkRange("listenPort", listenPort, 0, 0xFFFF);
      Objects.requireNonNull(channel, "channel");
      Objects.requireNonNull(node, "node");
    }

    @Override
    public FrameType type() {
      return FrameType.HELLO;
    }

    @Override
    public void writePayload(FieldWriter out) {
      out.varint(version).varint(features).bytes(channel.raw()).bytes(node.raw()).u16(listenPort);
      out.u8(latest == null ? 0 : 1);
      if (latest != null) {
        latest.write(out);
      }
    }

    static Hello read(FieldReader in) {
      int version = in.varint32("version", 0xFFFF);
      long features = in.varint("features", Long.MAX_VALUE);
      ChannelKey channel = ChannelKey.of(in.bytes(ChannelKey.LENGTH, "channel"));
      NodeId node = NodeId.of(in.bytes(NodeId.LENGTH, "node"));
      int port = in.u16("listenPort");
      int hasLatest = in.u8("latest present");
      if (hasLatest > 1) {
        throw new IllegalArgumentException("latest present must be 0 or 1");
      }
      return new Hello(version, features, channel, node, port,
          hasLatest == 1 ? ChunkHeader.read(in) : null);
    }
  }

  /** Leaving: the reason and up to 8 peers to use instead (children re-subscribe there). */
  record Goodbye(Reason reason, List<PeerRecord> alternatives) implements Frame {
    public Goodbye {
      Objects.requireNonNull(reason, "reason");
      alternatives = checkList("alternatives", alternatives, MAX_ALTERNATIVES);
    }

    @Override
    public FrameType type() {
      return FrameType.GOODBYE;
    }

    @Override
    public void writePayload(FieldWriter out) {
      writeRecords(out.u8(reason.ordinal()), alternatives);
    }
  }

  /** A connection or subscription refused: the reason and up to 8 peers to try instead. */
  record Reject(Reason reason, List<PeerRecord> alternatives) implements Frame {
    public Reject {
      Objects.requireNonNull(reason, "reason");
      alternatives = checkList("alternatives", alternatives, MAX_ALTERNATIVES);
    }

    @Override
    public FrameType type() {
      return FrameType.REJECT;
    }

    @Override
    public void writePayload(FieldWriter out) {
      writeRecords(out.u8(reason.ordinal()), alternatives);
    }
  }

  /** RTT probe: the peer answers {@link Pong} with the same token (u64, e.g. a send time). */
  record Ping(long token) implements Frame {
    @Override
    public FrameType type() {
      return FrameType.PING;
    }

    @Override
    public void writePayload(FieldWriter out) {
      out.u64(token);
    }
  }

  /** Answer to {@link Ping}, echoing its token. */
  record Pong(long token) implements Frame {
    @Override
    public FrameType type() {
      return FrameType.PONG;
    }

    @Override
    public void writePayload(FieldWriter out) {
      out.u64(token);
    }
  }

  /** Chunks now held (sent to partners that asked for them and got NOT_FOUND). */
  record Have(int epoch, List<Long> seqs) implements Frame {
    public Have {
      seqs = checkSeqs(seqs);
    }

    @Override
    public FrameType type() {
      return FrameType.HAVE;
    }

    @Override
    public void writePayload(FieldWriter out) {
      writeSeqs(out, epoch, seqs);
    }
  }

  /** Pull: send these chunks (ascending, at most 16). */
  record Request(int epoch, List<Long> seqs) implements Frame {
    public Request {
      seqs = checkSeqs(seqs);
    }

    @Override
    public FrameType type() {
      return FrameType.REQUEST;
    }

    @Override
    public void writePayload(FieldWriter out) {
      writeSeqs(out, epoch, seqs);
    }
  }

  /** Requested chunks not held; marks interest, so a later HAVE follows when they arrive. */
  record NotFound(int epoch, List<Long> seqs) implements Frame {
    public NotFound {
      seqs = checkSeqs(seqs);
    }

    @Override
    public FrameType type() {
      return FrameType.NOT_FOUND;
    }

    @Override
    public void writePayload(FieldWriter out) {
      writeSeqs(out, epoch, seqs);
    }
  }

  /** A signed chunk, pushed or requested. */
  record ChunkData(SignedChunk chunk) implements Frame {
    public ChunkData {
      Objects.requireNonNull(chunk, "chunk");
    }

    @Override
    public FrameType type() {
      return FrameType.CHUNK;
    }

    @Override
    public void writePayload(FieldWriter out) {
      chunk.write(out);
    }
  }

  /** A signed stream header (Ogg header pages). */
  record Header(SignedStreamHeader header) implements Frame {
    public Header {
      Objects.requireNonNull(header, "header");
    }

    @Override
    public FrameType type() {
      return FrameType.STREAM_HEADER;
    }

    @Override
    public void writePayload(FieldWriter out) {
      header.write(out);
    }
  }

  /** A signed metadata record. */
  record Metadata(MetadataRecord record) implements Frame {
    public Metadata {
      Objects.requireNonNull(record, "record");
    }

    @Override
    public FrameType type() {
      return FrameType.METADATA;
    }

    @Override
    public void writePayload(FieldWriter out) {
      record.write(out);
    }
  }

  /** A signed end of an epoch. */
  record End(EndOfStream end) implements Frame {
    public End {
      Objects.requireNonNull(end, "end");
    }

    @Override
    public FrameType type() {
      return FrameType.END_OF_STREAM;
    }

    @Override
    public void writePayload(FieldWriter out) {
      end.write(out);
    }
  }

  /**
   * Push: send every chunk of {@code substream} (seq % K) from {@code fromSeq} of {@code epoch}
   * on, those already held at once, then each new one as soon as it is verified; a later epoch
   * continues from its seq 0.
   */
  record Subscribe(int epoch, int substream, long fromSeq) implements Frame {
    public Subscribe {
      checkRange("substream", substream, 0, 7);
      checkRange("fromSeq", fromSeq, 0, Long.MAX_VALUE);
    }

    @Override
    public FrameType type() {
      return FrameType.SUBSCRIBE;
    }

    @Override
    public void writePayload(FieldWriter out) {
      out.u32(epoch).u8(substream).varint(fromSeq);
    }
  }

  /** Stop pushing a substream. */
  record Unsubscribe(int substream) implements Frame {
    public Unsubscribe {
      checkRange("substream", substream, 0, 7);
    }

    @Override
    public FrameType type() {
      return FrameType.UNSUBSCRIBE;
    }

    @Override
    public void writePayload(FieldWriter out) {
      out.u8(substream);
    }
  }

  /**
   * To the tracker: the port to connect back to (0: none), the upload cap, the partner count and
   * continuity in parts per million (chunks in time ÷ chunks due). The node id and channel are
   * the connection's HELLO; the address is the one the tracker observes.
   */
  record Announce(int listenPort, int uploadKbps, int partners, int continuityPpm)
      implements Frame {
    public Announce {
      checkRange("listenPort", listenPort, 0, 0xFFFF);
      checkRange("uploadKbps", uploadKbps, 0, 10_000_000);
      checkRange("partners", partners, 0, 1000);
      checkRange("continuityPpm", continuityPpm, 0, 1_000_000);
    }

    @Override
    public FrameType type() {
      return FrameType.ANNOUNCE;
    }

    @Override
    public void writePayload(FieldWriter out) {
      out.varint(listenPort).varint(uploadKbps).varint(partners).varint(continuityPpm);
    }
  }

  /** From the tracker (or a partner, as gossip): signed peer records and the advised lag. */
  record Peers(int advisedLagMillis, List<PeerRecord> peers) implements Frame {
    public Peers {
      checkRange("advisedLagMillis", advisedLagMillis, 0, 600_000);
      peers = checkList("peers", peers, MAX_PEERS);
    }

    @Override
    public FrameType type() {
      return FrameType.PEERS;
    }

    @Override
    public void writePayload(FieldWriter out) {
      writeRecords(out.varint(advisedLagMillis), peers);
    }
  }

  /** Reads a payload of {@code type}; every malformation is an IllegalArgumentException. */
  static Frame read(FrameType type, FieldReader in) {
    Frame f = switch (type) {
      case HELLO -> Hello.read(in);
      case GOODBYE -> new Goodbye(Reason.read(in), readRecords(in, MAX_ALTERNATIVES));
      case REJECT -> new Reject(Reason.read(in), readRecords(in, MAX_ALTERNATIVES));
      case PING -> new Ping(in.u64("token"));
      case PONG -> new Pong(in.u64("token"));
      case BUFFER_MAP -> BufferMap.read(in);
      case HAVE -> new Have(in.u32("epoch"), readSeqs(in));
      case REQUEST -> new Request(in.u32("epoch"), readSeqs(in));
      case NOT_FOUND -> new NotFound(in.u32("epoch"), readSeqs(in));
      case CHUNK -> new ChunkData(SignedChunk.read(in));
      case STREAM_HEADER -> new Header(SignedStreamHeader.read(in));
      case METADATA -> new Metadata(MetadataRecord.read(in));
      case END_OF_STREAM -> new End(EndOfStream.read(in));
      case SUBSCRIBE -> new Subscribe(in.u32("epoch"), in.u8("substream"),
          in.varint("fromSeq", Long.MAX_VALUE));
      case UNSUBSCRIBE -> new Unsubscribe(in.u8("substream"));
      case ANNOUNCE -> new Announce(in.varint32("listenPort", 0xFFFF),
          in.varint32("uploadKbps", 10_000_000), in.varint32("partners", 1000),
          in.varint32("continuityPpm", 1_000_000));
      case PEERS -> new Peers(in.varint32("advisedLagMillis", 600_000), readRecords(in, MAX_PEERS));
    };
    in.end(type.name());
    return f;
  }

  private static void checkRange(String field, long v, long min, long max) {
    if (v < min || v > max) {
      throw new IllegalArgumentException(field + " " + v + " outside " + min + ".." + max);
    }
  }

  private static <T> List<T> checkList(String field, List<T> list, int max) {
    if (list.size() > max) {
      throw new IllegalArgumentException(field + ": " + list.size() + " exceeds " + max);
    }
    return List.copyOf(list);
  }

  private static List<Long> checkSeqs(List<Long> seqs) {
    if (seqs.isEmpty() || seqs.size() > MAX_SEQS) {
      throw new IllegalArgumentException("seqs: 1 to " + MAX_SEQS + ", got " + seqs.size());
    }
    long prev = -1;
    for (long s : seqs) {
      if (s <= prev) {
        throw new IllegalArgumentException("seqs must be non-negative and strictly ascending");
      }
      prev = s;
    }
    return List.copyOf(seqs);
  }

  // epoch u32, count u8, first seq, then each gap minus one.
  private static void writeSeqs(FieldWriter out, int epoch, List<Long> seqs) {
    out.u32(epoch).u8(seqs.size());
    long prev = -1;
    for (long s : seqs) {
      out.varint(s - prev - 1);
      prev = s;
    }
  }

  private static List<Long> readSeqs(FieldReader in) {
    int n = in.u8("count");
    if (n == 0 || n > MAX_SEQS) {
      throw new IllegalArgumentException("count: 1 to " + MAX_SEQS + ", got " + n);
    }
    List<Long> seqs = new ArrayList<>(n);
    long prev = -1;
    for (int i = 0; i < n; i++) {
      prev = Math.addExact(prev + 1, in.varint("seq", Long.MAX_VALUE - prev - 1));
      seqs.add(prev);
    }
    return seqs;
  }

  private static void writeRecords(FieldWriter out, List<PeerRecord> records) {
    out.u8(records.size());
    records.forEach(r -> r.write(out));
  }

  private static List<PeerRecord> readRecords(FieldReader in, int max) {
    int n = in.u8("record count");
    if (n > max) {
      throw new IllegalArgumentException("record count " + n + " exceeds " + max);
    }
    List<PeerRecord> records = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      records.add(PeerRecord.read(in));
    }
    return records;
  }
}
