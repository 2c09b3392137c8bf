/**
 * Source ingest: encoders that push a stream into a mount, as on Icecast.
 *
 * <p>{@link dev.floe.proxy.source.SourceIngest} answers {@code PUT} and {@code SOURCE} on the main
 * port (plus libshout's probes), {@link dev.floe.proxy.source.ShoutcastServer} speaks the SHOUTcast
 * v1 handshake on its own port, and both hand the connection to a {@code SourceSession}, which
 * feeds the raw body into the mount's {@link dev.floe.proxy.mount.Feed} until the source closes.
 * A source is just another writer of a mount: listeners, fallbacks and the grace time are the
 * mount's business.
 */
package dev.floe.proxy.source;
