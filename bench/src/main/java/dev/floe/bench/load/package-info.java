/**
 * Whole-process listener load generator: thousands of strict ICY listeners, or simulated hls.js
 * players ({@code --hls}), on plain Java NIO, with per-listener timings, stall detection and a
 * JSON report, used by {@code bench/compare.sh} to put Floe and icecast2 side by side.
 */
package dev.floe.bench.load;
