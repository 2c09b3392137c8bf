package dev.floe.swarm.schedule;

/**
 * What a {@link Scheduler} asks its transport to do. Peers are the transport's {@code int} ids;
 * chunks are named by {@code (epoch, seq)}. Each action maps to one frame of the peer wire, except
 * {@link FallbackStart}/{@link FallbackStop} (a direct pull of the stream outside the swarm),
 * {@link Connect} and {@link Drop} (connections) and {@link AskTracker}.
 */
public sealed interface Action {
  /** Send this node's buffer map to a partner (BUFFERMAP). */
  record SendBufferMap(int to, Holdings map) implements Action {}

  /** Ask a partner to push substream {@code substream} from {@code fromSeq} on (SUBSCRIBE). */
  record Subscribe(int to, int substream, int epoch, long fromSeq) implements Action {}

  /** Stop a partner pushing a substream to this node (UNSUBSCRIBE). */
  record Unsubscribe(int to, int substream) implements Action {}

  /** Refuse a partner's subscription to a substream (SUB_REJECT): over the push budget. */
  record RefuseSubscribe(int to, int substream) implements Action {}

  /** Push a held chunk of a substream the partner subscribed to (CHUNK). */
  record Push(int to, int epoch, long seq, int size) implements Action {}

  /** Send a requested chunk (CHUNK). */
  record Serve(int to, int epoch, long seq, int size) implements Action {}

  /** Refuse a request (NOT_FOUND when not held, CHOKE when over the upload share). */
  record Refuse(int to, int epoch, long seq) implements Action {}

  /** Request a chunk from a partner that has it (REQUEST, with the time left to its deadline). */
  record Request(int to, int epoch, long seq, int msToDeadline) implements Action {}

  /** Ask the origin for a chunk near its deadline that no partner has (last resort). */
  record OriginRequest(int epoch, long seq, int msToDeadline) implements Action {}

  /** Pull the stream directly (origin or station URL) from {@code fromSeq}: the swarm is not keeping up. */
  record FallbackStart(int epoch, long fromSeq) implements Action {}

  /** Stop the direct pull: the swarm delivers in time again. */
  record FallbackStop() implements Action {}

  /** Dial a connectable peer the tracker offered. */
  record Connect(int peer) implements Action {}

  /** Close the connection to a partner (full, or sent a forged chunk). */
  record Drop(int peer) implements Action {}

  /** Ask the tracker for a sample of peers (ANNOUNCE). */
  record AskTracker() implements Action {}
}
