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
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A hand-driven peer on a plain socket: it writes raw frames (through {@link FrameEncoder} or as
 * bytes) and a reader thread decodes what the other side sends until it closes the connection.
 */
final class Rogue implements AutoCloseable {
  final NodeId node;
  private final Socket socket;
  private final OutputStream out;
  private final List<Frame> received = new CopyOnWriteArrayList<>();
  private final CountDownLatch helloSeen = new CountDownLatch(1);
  private final CountDownLatch closedByPeer = new CountDownLatch(1);
  private final Thread reader;
  private volatile Frame.Hello hello;

  Rogue(int port, ChannelKey channel, NodeId node) throws IOException {
    this(port, channel, node, 0);
  }

  /** Dials the node at {@code port}, saying it listens on {@code listenPort}. */
  Rogue(int port, ChannelKey channel, NodeId node, int listenPort) throws IOException {
    this(dial(port), channel, node, listenPort);
  }

  private Rogue(Socket socket, ChannelKey channel, NodeId node, int listenPort)
      throws IOException {
    this.node = node;
    this.socket = socket;
    socket.setSoTimeout(30_000);
    this.out = socket.getOutputStream();
    out.write(PeerWire.magicBytes());
    send(new Frame.Hello(PeerWire.VERSION, 0, channel, node, listenPort, null));
    reader = new Thread(this::read, "rogue-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** Takes the next connection a node dials to {@code server} and answers as {@code node}. */
  static Rogue accept(ServerSocket server, ChannelKey channel, NodeId node) throws IOException {
    server.setSoTimeout(10_000);
    return new Rogue(server.accept(), channel, node, server.getLocalPort());
  }

  private static Socket dial(int port) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 3000);
    return s;
  }

  static NodeId randomNode(long seed) {
    return NodeId.random(new SplittableRandom(seed));
  }

  private void read() {
    FrameDecoder decoder = new FrameDecoder();
    byte[] buf = new byte[65536];
    try (InputStream in = socket.getInputStream()) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
        Frame f;
        while ((f = decoder.next(b)) != null) {
          received.add(f);
          if (f instanceof Frame.Hello h) {
            hello = h;
            helloSeen.countDown();
          }
        }
      }
    } catch (IOException | FrameException e) {
      // the connection ended either way
    } finally {
      closedByPeer.countDown();
    }
  }

  /** Waits for the other side's HELLO and returns its latest chunk header (may be null). */
  ChunkHeader awaitHello() throws InterruptedException {
    if (!helloSeen.await(10, TimeUnit.SECONDS)) {
      throw new AssertionError("no HELLO from the node");
    }
    return hello.latest();
  }

  void send(Frame f) throws IOException {
    out.write(FrameEncoder.encode(f));
    out.flush();
  }

  void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** True once the other side closed the connection (within {@code seconds}). */
  boolean awaitClosed(int seconds) throws InterruptedException {
    return closedByPeer.await(seconds, TimeUnit.SECONDS);
  }

  /** Frames received so far. */
  List<Frame> received() {
    return List.copyOf(received);
  }

  /** This side's local port (the address the node sees). */
  int localPort() {
    return socket.getLocalPort();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
