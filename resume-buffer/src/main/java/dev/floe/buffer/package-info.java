/**
 * The resume buffer: one writer appends immutable, frame-aligned {@link dev.floe.buffer.Chunk}s
 * addressed by absolute stream position; any number of readers follow with their own {@link
 * dev.floe.buffer.Cursor}, lock-free. Burst-on-connect and resume are the same operation: {@link
 * dev.floe.buffer.StreamBuffer#openBehindLive(long)}.
 */
package dev.floe.buffer;
