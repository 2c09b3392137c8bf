/**
 * Gapless continuation over a plain Icecast upstream, which has no stream positions: {@link
 * dev.floe.buffer.splice.SpliceMatcher} finds where a new connection's first bytes (Icecast's
 * burst) overlap the audio Floe already holds, so that Floe can drop the overlap and continue with
 * the first byte it does not have. Pure code: no sockets, threads or clocks.
 */
package dev.floe.buffer.splice;
