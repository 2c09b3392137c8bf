/**
 * The swarm scheduler as a pure state machine: one {@link dev.floe.swarm.schedule.Scheduler} per
 * node takes events (partner up or down, buffer map, chunk, request, subscription, tick) with the
 * time injected, and returns {@link dev.floe.swarm.schedule.Action}s (send a buffer map, subscribe
 * to a substream, push or serve a chunk, request one, fall back to the origin, dial, drop). It sees
 * chunks only as ids, sizes and deadlines: no bytes, no signatures, no sockets, no threads, no
 * clock. The same object runs inside the simulation ({@code dev.floe.swarm.sim}) and behind the
 * node runtime ({@code dev.floe.swarm.node}).
 *
 * <p>{@code Scheduler} routes each event to package-private pure parts, each one policy with its
 * own unit test: {@code ChunkWindow} (chunks held), {@code Requests} (requests in flight),
 * {@code Parents} and {@code OriginAdmission} (push parents, and the origin's first tier),
 * {@code PullPlanner} (repair pulls), {@code UploadBudget} (what may be uploaded),
 * {@code PlayoutClock} (deadlines and the play point), {@code FallbackDetector} (the direct pull)
 * and {@code Dialer} (partner count). They share the scheduler's {@code Partner} records and emit
 * actions through it, so its byte counts stay in one place.
 */
package dev.floe.swarm.schedule;
