/**
 * Status and playlist renderers: pure functions from a snapshot of the server to text.
 *
 * <p>The server core fills {@link dev.floe.proxy.status.ServerInfo} and one
 * {@link dev.floe.proxy.status.MountStatus} per mount; {@link dev.floe.proxy.status.StatusJson}
 * renders Icecast 2.4's {@code /status-json.xsl}, {@link dev.floe.proxy.status.StatusPage} a
 * human HTML page, and {@link dev.floe.proxy.status.Playlists} the {@code .m3u}, {@code .pls} and
 * {@code .xspf} playlists. Nothing here does I/O, reads the clock or keeps state; every emitter
 * is written by hand and escapes everything that came from a source or a request.
 */
package dev.floe.proxy.status;
