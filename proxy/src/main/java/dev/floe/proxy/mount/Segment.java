package dev.floe.proxy.mount;

import dev.floe.buffer.StreamBuffer;

/**
 * A contiguous run of one stream on this node: an epoch and the buffer that holds its bytes at
 * the epoch's positions. A mount starts a new segment when the stream restarts (a new epoch) or
 * when a jump in positions cannot be bridged; listeners move to the new segment from its start.
 *
 * @param epoch 16 hex digits; adopted from a Floe upstream, or made here for a plain one
 * @param buffer the bytes of this segment
 * @param own whether this node made the epoch (its positions count this node's own bytes)
 */
public record Segment(String epoch, StreamBuffer buffer, boolean own) {}
