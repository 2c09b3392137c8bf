/**
 * The HTTPS listener on a real Floe process: certificates made by the {@code openssl} CLI,
 * reloaded on SIGHUP; listeners, sources and ffmpeg over TLS.
 */
package dev.floe.proxy.it.tls;
