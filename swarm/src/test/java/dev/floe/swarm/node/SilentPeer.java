package dev.floe.swarm.node;

import dev.floe.swarm.chunk.ChannelKey;
import dev.floe.swarm.chunk.ChunkHeader;
import dev.floe.swarm.chunk.NodeId;
import dev.floe.swarm.wire.Frame;
import dev.floe.swarm.wire.FrameDecoder;
import dev.floe.swarm.wire.FrameEncoder;
import dev.floe.swarm.wire.FrameException;
import dev.floe.swarm.wire.PeerWire;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;

/**
 * A peer on a plain socket with a tiny receive buffer that reads the node's HELLO and then reads
 * nothing while it asks for chunks; {@link #drain} reads what the node sent, once it was dropped.
 */
final class SilentPeer implements AutoCloseable {
  private final Socket socket;
  private final FrameDecoder decoder = new FrameDecoder();
  private final byte[] buf = new byte[65536];
  private int chunks;

  SilentPeer(int port, ChannelKey channel, NodeId node) throws IOException {
    socket = new Socket();
    socket.setReceiveBufferSize(2048);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 3000);
    socket.setSoTimeout(10_000);
    socket.getOutputStream().write(PeerWire.magicBytes());
    send(new Frame.Hello(PeerWire.VERSION, 0, channel, node, 0, null));
  }

  /** Reads up to the node's HELLO (bounded: 64 reads) and returns its latest chunk header. */
  ChunkHeader hello() throws IOException, FrameException {
    InputStream in = socket.getInputStream();
    for (int reads = 0; reads < 64; reads++) {
      int n = in.read(buf, 0, 64);
      if (n < 0) {
        break;
      }
      ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
      Frame f;
      while ((f = decoder.next(b)) != null) {
        if (f instanceof Frame.Hello h) {
          if (b.hasRemaining()) {
            count(b);
          }
          return h.latest();
        }
      }
    }
    throw new AssertionError("no HELLO from the node");
  }

  void send(Frame f) throws IOException {
    socket.getOutputStream().write(FrameEncoder.encode(f));
    socket.getOutputStream().flush();
  }

  /** Reads everything until the node's close (bounded: 10 s a read); returns the bytes read. */
  long drain() throws IOException {
    long total = 0;
    InputStream in = socket.getInputStream();
    int n;
    while ((n = in.read(buf)) >= 0) {
      total += n;
      count(ByteBuffer.wrap(buf, 0, n));
    }
    return total;
  }

  private void count(ByteBuffer b) {
    try {
      Frame f;
      while ((f = decoder.next(b)) != null) {
        chunks += f instanceof Frame.ChunkData ? 1 : 0;
      }
    } catch (FrameException e) {
      throw new AssertionError("the node sent a bad frame", e);
    }
  }

  /** CHUNK frames read so far. */
  int chunksReceived() {
    return chunks;
  }

  int localPort() {
    return socket.getLocalPort();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
