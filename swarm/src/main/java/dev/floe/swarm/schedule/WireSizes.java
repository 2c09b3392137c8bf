package dev.floe.swarm.schedule;

/**
 * Nominal sizes in bytes, frame prefix included, that the scheduler budgets for each message: the
 * brief's estimates (§2.12), larger than the real encoder's (a map is 13 bytes on the wire, not
 * 40). They pace buffer maps and charge the upload bucket; the node runtime reports the bytes it
 * really sends, and the simulation counts the encoder's sizes ({@code sim.WireCosts}).
 */
public final class WireSizes {
  /** BUFFERMAP: epoch, base, count, 64-bit bitmap, latest per substream (delta), subscribed mask. */
  public static final int BUFFER_MAP = 40;
  /** CHUNK without payload and signature: ids, times, flags, position, lengths. */
  public static final int CHUNK_HEADER = 100;
  /** The Ed25519 signature on every chunk, reported apart from control overhead. */
  public static final int SIGNATURE = 64;
  /** REQUEST of one chunk: epoch, deadline, count, seq. */
  public static final int REQUEST = 24;
  /** NOT_FOUND or CHOKE of one chunk. */
  public static final int REFUSE = 20;
  /** SUBSCRIBE: substream and from-seq. */
  public static final int SUBSCRIBE = 18;
  /** UNSUBSCRIBE or SUB_REJECT. */
  public static final int UNSUBSCRIBE = 8;
  /** HELLO, each way, on a new connection: ids, the latest signed chunk header, the key certificate. */
  public static final int HELLO = 400;
  /** ANNOUNCE to the tracker. */
  public static final int ANNOUNCE = 120;
  /** One tracker-signed peer record in PEERS. */
  public static final int PEER_RECORD = 100;

  private WireSizes() {}

  /** The nominal sizes as a table. */
  public static final Table NOMINAL = new Table(CHUNK_HEADER, BUFFER_MAP, REQUEST, REFUSE,
      SUBSCRIBE, UNSUBSCRIBE, ANNOUNCE);

  /** Non-payload bytes of an action at the nominal sizes (chunk headers included, signatures not). */
  public static int control(Action a) {
    return NOMINAL.control(a);
  }

  /** The size of each message an {@link Action} sends, frame prefix included. */
  public record Table(int chunkHeader, int bufferMap, int request, int refuse, int subscribe,
      int unsubscribe, int announce) {

    /** Non-payload bytes of an action as sent (chunk headers included, signatures not). */
    public int control(Action a) {
      if (a instanceof Action.Push || a instanceof Action.Serve) {
        return chunkHeader;
      } else if (a instanceof Action.SendBufferMap) {
        return bufferMap;
      } else if (a instanceof Action.Request || a instanceof Action.OriginRequest) {
        return request;
      } else if (a instanceof Action.Refuse) {
        return refuse;
      } else if (a instanceof Action.Subscribe) {
        return subscribe;
      } else if (a instanceof Action.Unsubscribe || a instanceof Action.RefuseSubscribe) {
        return unsubscribe;
      } else if (a instanceof Action.AskTracker) {
        return announce;
      }
      return 0;
    }
  }
}
