package dev.floe.swarm.node;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * The scheduler's int peer ids on a peer node: one per distinct address (the observed IP and the
 * port the peer listens on, or its source port when it listens on none), so a candidate from the
 * tracker and an inbound connection from the same peer get the same id. Id 0 is the origin. Not
 * thread-safe: the node's event loop owns it. Ids are never reused; at most {@link #MAX} are kept
 * (older addresses are then forgotten and get a new id if seen again).
 */
final class PeerIds {
  /** The origin's id. */
  static final int ORIGIN = 0;
  static final int MAX = 100_000;

  private final Map<String, Integer> ids = new HashMap<>();
  private final Map<Integer, InetSocketAddress> addresses = new HashMap<>();
  private int next = 1;

  PeerIds(InetSocketAddress origin) {
    ids.put(key(origin), ORIGIN);
    addresses.put(ORIGIN, origin);
  }

  /** The origin's address once resolved (a second key for id 0). */
  void origin(InetSocketAddress resolved) {
    ids.put(key(resolved), ORIGIN);
    addresses.put(ORIGIN, resolved);
  }

  /** The id for {@code address}, assigning a new one if needed. */
  int idFor(InetSocketAddress address) {
    Integer id = ids.get(key(address));
    if (id != null) {
      return id;
    }
    if (ids.size() >= MAX) {
      ids.entrySet().removeIf(e -> e.getValue() != ORIGIN);
      addresses.keySet().removeIf(i -> i != ORIGIN);
    }
    int n = next++;
    ids.put(key(address), n);
    addresses.put(n, address);
    return n;
  }

  /** The address of {@code id}, or null. */
  InetSocketAddress address(int id) {
    return addresses.get(id);
  }

  private static String key(InetSocketAddress a) {
    String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
    return host + "|" + a.getPort();
  }
}
