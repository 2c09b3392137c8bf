/**
 * Acceptance tests of the resume-by-position extension ({@code Floe-Position}, {@code
 * Floe-Window}, several upstreams, gapless splicing), with real icecast2, ffmpeg and Floe
 * processes: recordings of the stream are compared byte for byte with
 * {@link dev.floe.proxy.it.support.Contiguity}.
 */
package dev.floe.proxy.it.resume;
