package dev.floe.proxy.mount;

/**
 * What the admin API shows of one listener.
 *
 * @param id unique across the process (kept when the listener moves between mounts)
 * @param ip the client's address
 * @param userAgent its {@code User-Agent}, or null
 * @param connectedSeconds since it connected
 */
public record ListenerView(long id, String ip, String userAgent, long connectedSeconds) {}
