package dev.floe.swarm.chunk;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The tracker's signed statement about a peer: its node id, the source address the tracker
 * observed (never an address the peer claimed), the port it listens on, whether the tracker's
 * connect-back to that port succeeded, and when the record expires (10 minutes at most, by the
 * tracker's choice). In v1 the tracker is the origin and signs with the origin key. Gossip passes
 * records on unchanged; a node accepts only verified, unexpired ones. Immutable.
 *
 * <p>Wire: nodeId[16], address length u8 (4 or 16), address, port u16, connectable u8 (0 or 1),
 * expiresAtMillis varint, signature[64]. Signed: {@code "floe/1 peer-record" 0x00}, nodeId[16],
 * address length u8, address, port u16, connectable u8, expiresAtMillis u64.
 */
public final class PeerRecord extends Signed {
  private final NodeId node;
  private final InetAddress address;
  private final int port;
  private final boolean connectable;
  private final long expiresAtMillis;

  private PeerRecord(NodeId node, InetAddress address, int port, boolean connectable,
      long expiresAtMillis, byte[] signature) {
    super(signature);
    if (port < 0 || port > 0xFFFF || expiresAtMillis < 0) {
      throw new IllegalArgumentException("peer record: port out of range or negative expiry");
    }
    this.node = node;
    this.address = address;
    this.port = port;
    this.connectable = connectable;
    this.expiresAtMillis = expiresAtMillis;
  }

  /** Signs a record with the tracker (origin) key. */
  public static PeerRecord sign(OriginKey key, NodeId node, InetAddress address, int port,
      boolean connectable, long expiresAtMillis) {
    return new PeerRecord(node, address, port, connectable, expiresAtMillis, key.sign(
        new PeerRecord(node, address, port, connectable, expiresAtMillis, NO_SIGNATURE)
            .signedMessage()));
  }

  /**
   * Reads the wire form.
   *
   * @throws IllegalArgumentException naming the malformed field
   */
  public static PeerRecord read(FieldReader in) {
    NodeId node = NodeId.of(in.bytes(NodeId.LENGTH, "nodeId"));
    int len = in.u8("address length");
    if (len != 4 && len != 16) {
      throw new IllegalArgumentException("address length must be 4 or 16, got " + len);
    }
    InetAddress address;
    try {
      address = InetAddress.getByAddress(in.bytes(len, "address"));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("address: " + e.getMessage());
    }
    if (address.getAddress().length != len) {
      throw new IllegalArgumentException("address: IPv4-mapped IPv6 must be sent as IPv4");
    }
    int port = in.u16("port");
    int connectable = in.u8("connectable");
    if (connectable > 1) {
      throw new IllegalArgumentException("connectable must be 0 or 1, got " + connectable);
    }
    long expires = in.varint("expiresAtMillis", Long.MAX_VALUE);
    return new PeerRecord(node, address, port, connectable == 1, expires,
        in.bytes(SIGNATURE_LENGTH, "signature"));
  }

  @Override
  public void write(FieldWriter out) {
    byte[] a = address.getAddress();
    out.bytes(node.raw()).u8(a.length).bytes(a).u16(port).u8(connectable ? 1 : 0)
        .varint(expiresAtMillis).bytes(signature);
  }

  @Override
  String domain() {
    return "floe/1 peer-record";
  }

  @Override
  void writeSigned(FieldWriter out) {
    byte[] a = address.getAddress();
    out.bytes(node.raw()).u8(a.length).bytes(a).u16(port).u8(connectable ? 1 : 0)
        .u64(expiresAtMillis);
  }

  /** True once {@code nowMillis} (UTC) has reached the expiry. */
  public boolean expired(long nowMillis) {
    return nowMillis >= expiresAtMillis;
  }

  /** The peer's node id. */
  public NodeId node() {
    return node;
  }

  /** The source address the tracker observed. */
  public InetAddress address() {
    return address;
  }

  /** The port the peer listens on (its HTTP port, shared with peers). */
  public int port() {
    return port;
  }

  /** True if the tracker's connect-back to {@link #port()} succeeded. */
  public boolean connectable() {
    return connectable;
  }

  /** Expiry, UTC milliseconds. */
  public long expiresAtMillis() {
    return expiresAtMillis;
  }

  @Override
  public String toString() {
    return "PeerRecord[" + node + " " + address.getHostAddress() + ":" + port
        + (connectable ? " connectable" : "") + " until " + expiresAtMillis + "]";
  }
}
