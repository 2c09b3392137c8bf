/**
 * HLS interop (issue 18): ffmpeg and ffprobe read a mount's {@code .m3u8} and its segments, and
 * a Floe origin and a Floe relay of it serve byte-identical segments under the same names.
 */
package dev.floe.proxy.it.hls;
