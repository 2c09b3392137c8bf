package dev.floe.proxy.config;

import dev.floe.swarm.join.JoinAddress;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * A mount's {@code swarm { }} block: whether it is the origin of a peer swarm or a peer in one.
 * Produced and validated by {@link ConfigLoader} (ranges as in {@code docs/configuration.md}).
 *
 * @param role origin or peer
 * @param keyFile origin: the key file, or null for {@code <state dir>/origin-<mount>.key}; peer:
 *     null
 * @param join peer: the join address; origin: null
 * @param uploadKbps peer: upload cap in kbit/s (0: serve no one)
 * @param copies origin: children accepted per substream (1 to 4), i.e. copies of the stream it
 *     pushes
 * @param bitrateKbps the stream's rate in kbit/s, which sizes chunks and budgets
 * @param lagMs playout lag behind the origin, or 0 for {@code auto}
 * @param partners partners a peer keeps
 */
public record SwarmSettings(Role role, Path keyFile, JoinAddress join, int uploadKbps, int copies,
    int bitrateKbps, int lagMs, int partners) {

  /** A swarm role. */
  public enum Role {
    /** Cuts and signs the stream; tracker of its swarm. */
    ORIGIN,
    /** Receives the stream from partners and serves it to its own players. */
    PEER;

    /** The word used in the configuration and the status. */
    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Checks for nulls. */
  public SwarmSettings {
    Objects.requireNonNull(role, "role");
    if (role == Role.PEER) {
      Objects.requireNonNull(join, "join");
    }
  }

  /** Whether this mount is the origin. */
  public boolean origin() {
    return role == Role.ORIGIN;
  }

  /**
   * The origin's key file: {@link #keyFile} when set, else {@code origin-<mount>.key} in the
   * state directory ({@code $STATE_DIRECTORY}, which systemd's {@code StateDirectory=} sets, else
   * the working directory).
   */
  public Path resolvedKeyFile(String mountPath) {
    if (keyFile != null) {
      return keyFile;
    }
    String dir = System.getenv("STATE_DIRECTORY");
    String name = "origin-" + mountPath.substring(1).replaceAll("[^A-Za-z0-9._-]", "-") + ".key";
    return (dir == null || dir.isBlank() ? Path.of("") : Path.of(dir.split(":")[0]))
        .resolve(name).toAbsolutePath();
  }
}
