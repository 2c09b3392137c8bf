package dev.floe.swarm.node;

import dev.floe.swarm.chunk.ChannelKey;
import dev.floe.swarm.chunk.NodeId;
import dev.floe.swarm.guard.RequestBucket;
import dev.floe.swarm.wire.BufferMap;
import dev.floe.swarm.wire.Frame;
import dev.floe.swarm.wire.FrameDecoder;
import dev.floe.swarm.wire.FrameEncoder;
import dev.floe.swarm.wire.FrameException;
import dev.floe.swarm.wire.PeerWire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * One peer connection: the Netty handler that decodes frames on the channel's own event loop and
 * hands them, in order, to its node's loop; and the per-connection state the node keeps (ids,
 * HELLO, byte counters, misbehaviour scores). Every field but the decoder and the routing is
 * touched on the node's loop only. Writes are counted and capped: a peer that does not read
 * ({@link PeerLimits#queueBytes()} unsent) is dropped rather than buffered without bound. Frames
 * are decoded under the node's {@link PeerLimits#frameBytes()}; an accepted connection's HELLO,
 * which picks the node, is decoded under the protocol's own limit for HELLO.
 */
final class Connection extends ChannelInboundHandlerAdapter {
  /** What the connection is for. */
  enum Role {
    /** Dialed to a tracker candidate (a partner once HELLO is back). */
    DIALED,
    /** A peer's connection to the origin: tracker, last resort, partner if the origin wants. */
    ORIGIN_LINK,
    /** The tracker's connect-back probe of an announced port. */
    CONNECT_BACK,
    /** Accepted (through {@link SwarmNode#adopt}); a partner once its first BUFFERMAP comes. */
    ACCEPTED
  }

  /**
   * An accepted connection whose HELLO (which picks its node) is not in after this long is
   * closed: the front's timeouts end at the magic, and nothing else would bound it.
   */
  static final int HELLO_TIMEOUT_MS = 10_000;

  final Role role;
  private final FrameDecoder decoder = new FrameDecoder();
  private ScheduledFuture<?> helloTimer;
  private final AtomicLong queued = new AtomicLong();
  private final Function<ChannelKey, SwarmNode> router;
  private volatile NodeRuntime node;
  private long unroutedBytes;
  Channel channel;

  // ---- node-loop state
  final long openedAt;
  int id = Integer.MIN_VALUE;
  int dialId = Integer.MIN_VALUE;
  NodeId expectedNode;
  Connection probeLink;
  int probePort;
  Frame.Hello hello;
  boolean helloSent;
  boolean promoted;
  boolean closed;
  boolean slow;
  int rttMs = 100;
  long nextPingAt;
  String banKey;
  BufferMap lastMap;
  /** The epoch whose edge chunk this node last sent it to tune in (see FrameIntake.tuneIn). */
  long tunedInEpoch = Long.MIN_VALUE;
  RequestBucket requests;
  int lies;
  int replays;
  long replaysSince;
  final long[] recentSeqs = new long[128];
  int recentPos;
  long bytesUp;
  long bytesDown;
  long payloadUp;
  long payloadDown;

  /** A dialed connection of {@code node}; bind the channel with {@link #bind}. */
  Connection(Role role, NodeRuntime node, long now) {
    this.role = role;
    this.node = node;
    this.router = null;
    this.openedAt = now;
    decoder.limit(node.settings.limits().frameBytes());
    java.util.Arrays.fill(recentSeqs, -1);
  }

  /** An accepted connection, routed by the channel key of its HELLO. */
  Connection(Channel channel, Function<ChannelKey, SwarmNode> router, long now) {
    this.role = Role.ACCEPTED;
    this.channel = channel;
    this.router = router;
    this.openedAt = now;
    java.util.Arrays.fill(recentSeqs, -1);
  }

  void bind(Channel ch) {
    this.channel = ch;
  }

  NodeRuntime node() {
    return node;
  }

  /** The peer's address: the one a trusted proxy named, else the socket's. */
  InetSocketAddress remote() {
    if (channel == null) {
      return null;
    }
    InetSocketAddress named = channel.attr(SwarmNode.CLIENT_ADDRESS).get();
    return named != null ? named : (InetSocketAddress) channel.remoteAddress();
  }

  String address() {
    InetSocketAddress a = remote();
    return a == null ? "?" : a.getAddress().getHostAddress() + ":" + a.getPort();
  }

  // ---- channel loop

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (router != null && node == null) {
      helloTimer = ctx.executor().schedule(() -> {
        if (node == null && ctx.channel().isActive()) {
          NodeRuntime.LOG.log(System.Logger.Level.WARNING, "swarm peer " + address()
              + ": no HELLO within " + HELLO_TIMEOUT_MS + " ms; closed");
          ctx.close();
        }
      }, HELLO_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }
  }

  private void cancelHelloTimer() {
    if (helloTimer != null) {
      helloTimer.cancel(false);
      helloTimer = null;
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    NodeRuntime n = node;
    if (n != null && role != Role.ACCEPTED) {
      n.execute(() -> n.onConnected(this));
    }
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf buf)) {
      ctx.fireChannelRead(msg);
      return;
    }
    int bytes = buf.readableBytes();
    boolean unrouted = node == null;
    List<Frame> frames = new ArrayList<>();
    FrameException error = null;
    boolean rejected = false;
    try {
      for (ByteBuffer b : buf.nioBuffers()) {
        Frame f;
        while (!rejected && (f = decoder.next(b)) != null) {
          frames.add(f);
          // The first frame is HELLO (the decoder insists): it picks the node, whose frame
          // limit then applies to the rest.
          if (node == null && !route(ctx, (Frame.Hello) f)) {
            rejected = true;
          }
        }
      }
    } catch (FrameException e) {
      error = e;
      ctx.channel().config().setAutoRead(false);
    } finally {
      buf.release();
    }
    if (rejected) {
      return;
    }
    NodeRuntime n = node;
    if (n == null) {
      unroutedBytes += bytes;
      if (error != null) {
        NodeRuntime.LOG.log(System.Logger.Level.WARNING,
            "swarm peer " + address() + ": " + error.kind() + " before HELLO: " + error.getMessage()
                + "; closed");
        ctx.close();
      }
      return;
    }
    if (unrouted) {
      bytes = (int) Math.min(Integer.MAX_VALUE, unroutedBytes + bytes);
    }
    NodeRuntime target = n;
    int read = bytes;
    FrameException err = error;
    target.execute(() -> target.onRead(this, read, frames, err));
  }

  /**
   * Picks the node of {@code h}'s channel and applies its frame limit; false (after sending
   * REJECT and closing) when no node here serves that channel.
   */
  private boolean route(ChannelHandlerContext ctx, Frame.Hello h) {
    SwarmNode target = router.apply(h.channel());
    if (target == null) {
      NodeRuntime.LOG.log(System.Logger.Level.INFO,
          "swarm peer " + address() + ": HELLO for unknown channel " + h.channel() + "; rejected");
      ByteBuf out = Unpooled.buffer();
      out.writeBytes(PeerWire.magicBytes());
      out.writeBytes(FrameEncoder.encode(new Frame.Hello(PeerWire.VERSION, 0, h.channel(),
          NodeId.random(new java.security.SecureRandom()), 0, null)));
      out.writeBytes(FrameEncoder.encode(new Frame.Reject(Frame.Reason.WRONG_CHANNEL, List.of())));
      ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
      ctx.channel().config().setAutoRead(false);
      return false;
    }
    cancelHelloTimer();
    NodeRuntime n = target.runtime();
    decoder.limit(n.settings.limits().frameBytes());
    node = n;
    return true;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelHelloTimer();
    NodeRuntime n = node;
    if (n != null) {
      n.execute(() -> n.onClosed(this));
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    NodeRuntime.LOG.log(System.Logger.Level.DEBUG, "swarm peer " + address() + ": " + cause);
    ctx.close();
  }

  // ---- node loop

  /** Sends a frame; returns false if the connection is closed or too far behind. */
  boolean send(Frame f) {
    if (closed || channel == null) {
      return false;
    }
    int payload = f instanceof Frame.ChunkData c ? c.chunk().heldLength() : 0;
    return send(encode(f, channel.alloc()), payload);
  }

  /** Sends raw bytes of which {@code payload} are chunk payload. */
  boolean sendRaw(byte[] bytes, int payload) {
    return send(Unpooled.wrappedBuffer(bytes), payload);
  }

  /**
   * Sends encoded frames of which {@code payload} bytes are chunk payload, taking over one
   * reference to {@code frames} (a {@link ChunkStore#frame} view shared with other partners, or a
   * buffer of this connection's own); returns false, having released it, if the connection is
   * closed or too far behind.
   */
  boolean send(ByteBuf frames, int payload) {
    if (closed || channel == null) {
      frames.release();
      return false;
    }
    int len = frames.readableBytes();
    if (queued.addAndGet(len) > node.settings.limits().queueBytes()) {
      queued.addAndGet(-len);
      slow = true;
      frames.release();
      return false;
    }
    bytesUp += len;
    payloadUp += payload;
    channel.writeAndFlush(frames).addListener(f -> queued.addAndGet(-len));
    return true;
  }

  /** {@code f}'s bytes in a new buffer of {@code alloc} (direct, so the socket takes it as is). */
  static ByteBuf encode(Frame f, ByteBufAllocator alloc) {
    int size = FrameEncoder.size(f);
    ByteBuf buf = alloc.directBuffer(size, size);
    try {
      FrameEncoder.encode(f, buf.nioBuffer(0, size));
      return buf.writerIndex(size);
    } catch (RuntimeException e) {
      buf.release();
      throw e;
    }
  }

  /** Whether the socket takes more without queueing (skip optional frames when not). */
  boolean writable() {
    return channel != null && channel.isWritable();
  }

  /** Bytes written but not yet sent. */
  long queued() {
    return queued.get();
  }

  /** Records that this connection delivered chunk {@code seq}; true if it had already. */
  boolean noteSeq(long seq) {
    for (long s : recentSeqs) {
      if (s == seq) {
        return true;
      }
    }
    recentSeqs[recentPos] = seq;
    recentPos = (recentPos + 1) % recentSeqs.length;
    return false;
  }
}
