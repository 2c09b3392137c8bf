/**
 * Interop tests that run Floe against the real icecast2, ffmpeg and ffprobe.
 */
package dev.floe.proxy.it;
