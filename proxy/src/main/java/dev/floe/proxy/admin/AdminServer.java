package dev.floe.proxy.admin;

import java.time.Instant;
import java.util.Map;

/**
 * Server-wide fields of {@code /admin/stats}.
 *
 * <p>The named components become Icecast's {@code admin}, {@code host}, {@code location},
 * {@code server_id}, {@code server_start} and {@code server_start_iso8601} stats; a {@code null}
 * component is omitted. {@code globalStats} carries the counters by their Icecast names
 * ({@code clients}, {@code connections}, {@code listeners}, {@code sources},
 * {@code client_connections}, {@code source_total_connections}, ...); a name that is also a
 * named component is overridden by the component.
 *
 * @param admin operator contact (Icecast's {@code <admin>})
 * @param host configured host name
 * @param location free-text location
 * @param serverId e.g. {@code Icecast 2.4.4} or {@code Floe 0.1.0}
 * @param start when the server started
 * @param globalStats further global stats by name; may be empty, never {@code null}
 */
public record AdminServer(
    String admin, String host, String location, String serverId, Instant start,
    Map<String, String> globalStats) {

  /** Copies the map so the snapshot stays immutable. */
  public AdminServer {
    globalStats = Map.copyOf(globalStats);
  }
}
