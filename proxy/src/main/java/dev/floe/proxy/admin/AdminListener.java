package dev.floe.proxy.admin;

/**
 * One listener of a mount, as {@code /admin/listclients} shows it.
 *
 * @param id connection id (Icecast's {@code <ID>}), unique per server; {@code killclient} takes it
 * @param ip the peer address as text
 * @param userAgent the request's {@code User-Agent}; {@code null} renders as {@code Unknown}, as
 *     icecast2 2.4.4 does
 * @param connectedSeconds seconds since the listener connected
 * @param username the authenticated user name, or {@code null} (the element is then omitted)
 */
public record AdminListener(
    long id, String ip, String userAgent, long connectedSeconds, String username) {}
