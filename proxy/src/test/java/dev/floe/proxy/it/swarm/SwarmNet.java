package dev.floe.proxy.it.swarm;

import dev.floe.proxy.it.support.FloeProcess;
import dev.floe.proxy.status.StrictJson;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** Starting swarm origins and peers as Floe processes, and reading their swarm status. */
public final class SwarmNet {
  static final String MOUNT = "/live";
  /** A second, Ogg (Opus) mount with its own channel, next to {@link #MOUNT}. */
  static final String OGG_MOUNT = "/live.ogg";
  /** The flags of /etc/default/floe on a Raspberry Pi (FloeProcess adds -Xmx64m, SerialGC). */
  public static final List<String> PI_FLAGS = List.of("-Xms16m", "-XX:MaxDirectMemorySize=64m",
      "-Xss512k", "-XX:ReservedCodeCacheSize=32m", "-XX:TieredStopAtLevel=1");

  private SwarmNet() {}

  /** An origin fed by a source at {@link #MOUNT}; its key lives in its work dir. */
  static FloeProcess origin(Path dir, String swarmExtra) {
    return origin(dir, MOUNT, swarmExtra);
  }

  /** A peer of {@code join} at {@link #MOUNT}. */
  static FloeProcess peer(Path dir, String join, String swarmExtra) {
    return peer(dir, MOUNT, join, swarmExtra);
  }

  /** An origin fed by a source at {@code mount}; its key lives in its work dir. */
  static FloeProcess origin(Path dir, String mount, String swarmExtra) {
    Path key = dir.toAbsolutePath().resolve("origin.key");
    return FloeProcess.start(dir, "server.hostname = \"127.0.0.1\"\n"
        + "mounts = [ { path = \"" + mount + "\", swarm { role = origin, key-file = \""
        + key + "\" " + swarmExtra + " } } ]", PI_FLAGS);
  }

  /** A peer of {@code join} at {@code mount}. */
  static FloeProcess peer(Path dir, String mount, String join, String swarmExtra) {
    return FloeProcess.start(dir, "server.hostname = \"127.0.0.1\"\n"
        + "mounts = [ { path = \"" + mount + "\", swarm { role = peer, join = \"" + join + "\" "
        + swarmExtra + " } } ]", PI_FLAGS);
  }

  /** An origin of {@link #MOUNT} and {@link #OGG_MOUNT}, each with its key in its work dir. */
  static FloeProcess originWithOgg(Path dir, String swarmExtra) {
    Path key = dir.toAbsolutePath().resolve("origin.key");
    Path oggKey = dir.toAbsolutePath().resolve("origin-ogg.key");
    return FloeProcess.start(dir, "server.hostname = \"127.0.0.1\"\n"
        + "mounts = [ { path = \"" + MOUNT + "\", swarm { role = origin, key-file = \""
        + key + "\" " + swarmExtra + " } },\n"
        + "  { path = \"" + OGG_MOUNT + "\", swarm { role = origin, key-file = \""
        + oggKey + "\", bitrate = 96kbit " + swarmExtra + " } } ]", PI_FLAGS);
  }

  /** A peer of {@code join} at {@link #MOUNT} and of {@code oggJoin} at {@link #OGG_MOUNT}. */
  static FloeProcess peerWithOgg(Path dir, String join, String oggJoin, String swarmExtra) {
    return FloeProcess.start(dir, "server.hostname = \"127.0.0.1\"\n"
        + "mounts = [ { path = \"" + MOUNT + "\", swarm { role = peer, join = \"" + join + "\" "
        + swarmExtra + " } },\n"
        + "  { path = \"" + OGG_MOUNT + "\", swarm { role = peer, join = \"" + oggJoin
        + "\", bitrate = 96kbit " + swarmExtra + " } } ]", PI_FLAGS);
  }

  /** {@link #MOUNT}'s {@code floe_swarm} object from the status JSON, or null. */
  static Map<String, Object> swarm(FloeProcess p) {
    return swarm(p, MOUNT);
  }

  /** {@code mount}'s {@code floe_swarm} object from the status JSON, or null. */
  public static Map<String, Object> swarm(FloeProcess p, String mount) {
    Object root = StrictJson.parse(p.statusJson());
    Object source = StrictJson.obj(StrictJson.obj(root).get("icestats")).get("source");
    if (source == null) {
      return null;
    }
    List<Object> sources = source instanceof List<?> ? StrictJson.arr(source) : List.of(source);
    for (Object o : sources) {
      Map<String, Object> m = StrictJson.obj(o);
      if (String.valueOf(m.get("listenurl")).endsWith(mount)) {
        Object s = m.get("floe_swarm");
        return s == null ? null : StrictJson.obj(s);
      }
    }
    return null;
  }

  static double number(Map<String, Object> swarm, String key) {
    Object v = swarm.get(key);
    if (!(v instanceof Number n)) {
      throw new AssertionError("floe_swarm." + key + " is " + v + " in " + swarm);
    }
    return n.doubleValue();
  }

  static int partners(Map<String, Object> swarm) {
    return StrictJson.arr(swarm.get("partners")).size();
  }

  /** The origin's join address, once its status shows it; fails with the origin's log. */
  static String join(FloeProcess origin, Duration timeout) {
    return join(origin, MOUNT, timeout);
  }

  /** The join address of the origin's {@code mount}; fails with the origin's log. */
  public static String join(FloeProcess origin, String mount, Duration timeout) {
    String[] join = new String[1];
    try {
      Awaitility.await("origin join address of " + mount).atMost(timeout).ignoreExceptions()
          .pollInterval(Duration.ofMillis(200)).until(() -> {
            Map<String, Object> s = swarm(origin, mount);
            join[0] = s == null ? null : (String) s.get("join");
            return join[0] != null && s.get("error") == null;
          });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("no join address: " + origin.statusJson() + "\n--- origin log ---\n"
          + origin.logTail(6000), e);
    }
    return join[0];
  }
}
