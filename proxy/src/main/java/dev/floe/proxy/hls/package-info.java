/**
 * HLS from a mount's back buffer (issue 18): a live media playlist ({@code /<mount>.m3u8}) and
 * segments of packed audio (MP3 or ADTS AAC) cut on frame boundaries.
 *
 * <p>Pure parts: {@link dev.floe.proxy.hls.Segmenter} (which frames make which segment, from
 * stream positions only, so every node relaying one stream cuts it alike), {@link
 * dev.floe.proxy.hls.Id3} (the ID3v2 tag at the front of each segment: Apple's transport stream
 * timestamp and the title) and {@link dev.floe.proxy.hls.MediaPlaylist} (the playlist text).
 * {@link dev.floe.proxy.hls.SegmentIndex} keeps one mount's segments up to date from its buffer,
 * {@link dev.floe.proxy.hls.HlsListeners} counts who fetched in the last 30 s, {@link
 * dev.floe.proxy.hls.HlsOffload} the upload budget (segment bytes served over HTTP beside what
 * web players report, each report parsed and bounded by the pure {@link
 * dev.floe.proxy.hls.OffloadReport}), and {@link
 * dev.floe.proxy.hls.HlsEndpoint} answers the requests. See {@code docs/hls.md}.
 */
package dev.floe.proxy.hls;
