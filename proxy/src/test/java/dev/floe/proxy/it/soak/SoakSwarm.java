package dev.floe.proxy.it.soak;

import dev.floe.proxy.it.support.FloeProcess;
import dev.floe.proxy.it.swarm.SwarmNet;
import dev.floe.swarm.chunk.ChannelKey;
import dev.floe.swarm.chunk.SignedChunk;
import dev.floe.swarm.chunk.ChunkHeader;
import dev.floe.swarm.chunk.NodeId;
import dev.floe.swarm.chunk.OriginKey;
import dev.floe.swarm.join.JoinAddress;
import dev.floe.swarm.wire.Frame;
import dev.floe.swarm.wire.FrameDecoder;
import dev.floe.swarm.wire.FrameEncoder;
import dev.floe.swarm.wire.FrameException;
import dev.floe.swarm.wire.PeerWire;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The swarm side of the soak: the origin's join address, peer processes (the Raspberry Pi's JVM
 * flags), and hostile peer connections (garbage after the magic, a forged chunk, the magic and
 * then silence), each of which Floe must close.
 */
final class SoakSwarm {
  /** How long Floe waits for a peer's HELLO after its magic (swarm's Connection). */
  static final Duration HELLO_TIMEOUT = Duration.ofSeconds(10);

  private SoakSwarm() {}

  /** A peer of {@code join} at {@code mount}, under the Pi's flags plus {@code extraFlags}. */
  static FloeProcess peer(Path dir, String server, String mount, String join,
      List<String> extraFlags) {
    List<String> flags = new ArrayList<>(SwarmNet.PI_FLAGS);
    flags.addAll(extraFlags);
    return FloeProcess.start(dir, server + "mounts = [ { path = \"" + mount
        + "\", swarm { role = peer, join = \"" + join + "\", upload = 512kbit } } ]", flags);
  }

  /** The channel key of a join address. */
  static ChannelKey channel(String join) {
    return JoinAddress.parse(join).channel();
  }

  /**
   * The peer magic, then 600 random bytes whose first frame is 127 bytes long and not a HELLO:
   * true when Floe closes the connection without a word (within 10 s).
   */
  static boolean garbageAfterMagic(int port, Random random) throws IOException {
    try (Socket s = connect(port)) {
      byte[] junk = new byte[600];
      random.nextBytes(junk);
      junk[0] = 0x7F; // length 127
      junk[1] = (byte) (0x02 + random.nextInt(0x7E)); // a critical type other than HELLO
      try {
        s.getOutputStream().write(PeerWire.magicBytes());
        s.getOutputStream().write(junk);
      } catch (IOException e) {
        // closed before everything was written: what we wanted
      }
      return closedSilently(s, Duration.ofSeconds(10));
    }
  }

  /**
   * A HELLO for {@code channel}, then the next chunk after the node's edge signed with a key of
   * our own: true when the node closes the connection (within 10 s).
   */
  static boolean forgedChunk(int port, ChannelKey channel) throws IOException, FrameException {
    try (Socket s = connect(port)) {
      s.getOutputStream().write(PeerWire.magicBytes());
      s.getOutputStream().write(FrameEncoder.encode(new Frame.Hello(PeerWire.VERSION, 0, channel,
          NodeId.random(new SecureRandom()), 0, null)));
      FrameDecoder decoder = new FrameDecoder();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[4096];
      ChunkHeader edge = null;
      boolean hello = false;
      for (int reads = 0; reads < 64 && !hello; reads++) {
        int n = in.read(buf);
        if (n < 0) {
          throw new AssertionError("the node closed before its HELLO");
        }
        ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
        Frame f;
        while ((f = decoder.next(b)) != null) {
          if (f instanceof Frame.Hello h) {
            hello = true;
            edge = h.latest();
          }
        }
      }
      if (!hello || edge == null) {
        throw new AssertionError("no HELLO with a live edge from the node");
      }
      long seq = edge.seq() + 1;
      long position = edge.position() + edge.payloadLength();
      byte[] payload = new byte[Math.max(1, edge.payloadLength())];
      new Random(seq).nextBytes(payload);
      SignedChunk forged = SignedChunk.sign(OriginKey.generate(), edge.epoch(), seq, position,
          System.currentTimeMillis(), 500_000, 0, payload);
      s.getOutputStream().write(FrameEncoder.encode(new Frame.ChunkData(forged)));
      return drainsToClose(s);
    }
  }

  /** Opens a connection and sends the peer magic only; the caller checks that it is closed. */
  static Socket magicThenSilence(int port) throws IOException {
    Socket s = connect(port);
    s.getOutputStream().write(PeerWire.magicBytes());
    return s;
  }

  /** True when the other side closes {@code s} having sent nothing (within {@code wait}). */
  static boolean closedSilently(Socket s, Duration wait) throws IOException {
    s.setSoTimeout((int) Math.max(1, wait.toMillis()));
    try {
      return s.getInputStream().read() == -1;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset: closed with our bytes unread
    }
  }

  /** Reads until the other side closes (true) or 10 s pass without a byte (false). */
  private static boolean drainsToClose(Socket s) throws IOException {
    s.setSoTimeout(10_000);
    byte[] buf = new byte[8192];
    try {
      for (int reads = 0; reads < 100_000; reads++) {
        if (s.getInputStream().read(buf) < 0) {
          return true;
        }
      }
      return false;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  private static Socket connect(int port) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    return s;
  }
}
