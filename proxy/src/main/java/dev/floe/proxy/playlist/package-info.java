/**
 * Playlist sources (AutoDJ): a folder, M3U, PLS or RSS 1.0 playlist whose files feed a mount in
 * real time while no live source is connected. Pure parts: {@link dev.floe.proxy.playlist
 * .PlaylistFiles} (the list formats), {@link dev.floe.proxy.playlist.Schedule} (which item plays
 * when), {@link dev.floe.proxy.playlist.FrameScanner} (frame lengths and durations of MP3,
 * ADTS and Ogg) and {@link dev.floe.proxy.playlist.Pacer} (real-time pacing against an injected
 * clock). {@link dev.floe.proxy.playlist.PlaylistSource} drives them on the mount's event loop.
 */
package dev.floe.proxy.playlist;
