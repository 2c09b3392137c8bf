package dev.floe.proxy.status;

import java.time.Instant;

/**
 * Server-wide fields of the status document, as Icecast's {@code <icestats>} root carries them.
 *
 * <p>Every component may be {@code null}; renderers omit what is missing, as Icecast omits
 * missing stats.
 *
 * @param admin contact of the operator (Icecast's {@code <admin>}), e.g. {@code icemaster@localhost}
 * @param host configured host name (Icecast's {@code <hostname>})
 * @param location free-text location (Icecast's {@code <location>})
 * @param serverId server identification, e.g. {@code Floe 0.1.0}
 * @param serverStart when the process started
 */
public record ServerInfo(
    String admin, String host, String location, String serverId, Instant serverStart) {}
