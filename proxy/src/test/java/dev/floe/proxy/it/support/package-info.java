/**
 * Interop test fixtures: start the real Debian {@code icecast2}, {@code ffmpeg} and
 * {@code ffprobe} on loopback ports, plus a raw socket listener and a raw socket source
 * ({@link dev.floe.proxy.it.support.RawSource});
 * {@link dev.floe.proxy.it.support.FloeProcess#awaitOn} awaits a condition and fails with the
 * nodes' status and logs.
 *
 * <p>Every helper that starts a process is {@link java.lang.AutoCloseable} and kills the
 * whole process tree on close; a JVM shutdown hook kills anything still registered if a test
 * run dies half-way. A missing tool fails the test with an {@link java.lang.AssertionError}
 * naming the Debian package to install (see {@code scripts/install-test-tools}).
 */
package dev.floe.proxy.it.support;
