/**
 * HTTP/ICY request and response heads: an incremental, bounded decoder that tolerates what
 * Icecast/SHOUTcast sources and players really send, and an encoder.
 */
package dev.floe.icy.head;
