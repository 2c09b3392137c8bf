/**
 * Frame-aligned chunking: {@link dev.floe.buffer.frame.Chunker} cuts MPEG audio / ADTS streams at
 * frame boundaries and Ogg streams at page boundaries (keeping the Ogg header pages apart), so that
 * every chunk of a {@link dev.floe.buffer.StreamBuffer} is a place where a new listener can start.
 */
package dev.floe.buffer.frame;
