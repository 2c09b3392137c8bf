/**
 * Interop tests of playlist mounts: a real ffmpeg player across items, real-time pacing, the
 * AutoDJ takeover by a live ffmpeg source, and the demo started as a real process.
 */
package dev.floe.proxy.it.playlist;
