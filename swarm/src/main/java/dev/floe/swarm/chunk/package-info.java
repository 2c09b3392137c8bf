/**
 * The swarm's signed objects and keys. The channel's identity is the origin's Ed25519 public key
 * ({@link dev.floe.swarm.chunk.ChannelKey}); the origin signs every {@link
 * dev.floe.swarm.chunk.SignedChunk}, {@link dev.floe.swarm.chunk.SignedStreamHeader}, {@link
 * dev.floe.swarm.chunk.MetadataRecord}, {@link dev.floe.swarm.chunk.EndOfStream} and, as tracker,
 * every {@link dev.floe.swarm.chunk.PeerRecord}. Each kind signs its own domain tag followed by a
 * fixed-width encoding of its fields, so a signature for one kind can never be read as another.
 * The wire encodings ({@code write}/{@code read}) are compact (varints) and separate from the
 * signed bytes. Pure code: the only file access is {@link dev.floe.swarm.chunk.OriginKey}'s key
 * file.
 */
package dev.floe.swarm.chunk;
