package dev.floe.proxy.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.floe.proxy.config.InvalidConfigException.Problem;
import dev.floe.proxy.config.SwarmSettings.Role;
import dev.floe.swarm.join.JoinAddress;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a mount's {@code swarm { }} block; every problem names its key. */
final class SwarmParser {
  private static final Pattern RATE = Pattern.compile(
      "\\s*(\\d{1,7})\\s*(kbit|kbps|k|kbit/s)?\\s*", Pattern.CASE_INSENSITIVE);
  private static final Pattern SECONDS = Pattern.compile("\\s*(\\d{1,3})\\s*s\\s*");

  private SwarmParser() {}

  /** The settings, or null after a problem was recorded. */
  static SwarmSettings parse(Fields mount, List<Problem> problems) {
    ConfigValue value = mount.present("swarm");
    if (value == null) {
      return null;
    }
    if (value.valueType() != ConfigValueType.OBJECT) {
      mount.problem("swarm", "expected an object such as { role = origin }, got "
          + Fields.describe(value));
      return null;
    }
    int before = problems.size();
    ConfigObject object = (ConfigObject) value;
    Fields f = new Fields(object, mount.key("swarm"), problems);
    for (String key : new TreeSet<>(object.keySet())) {
      if (!Keys.SWARM.contains(key)) {
        String hint = Keys.suggest(key, Keys.SWARM);
        f.problem(key, hint == null ? "unknown key (swarm takes " + String.join(", ", Keys.SWARM)
            + ")" : "unknown key (did you mean \"" + hint + "\"?)");
      }
    }
    Role role = role(f);
    Path keyFile = null;
    JoinAddress join = null;
    if (role == Role.ORIGIN) {
      if (f.has("join")) {
        f.problem("join", "an origin has no join address (it prints its own at start)");
      }
      keyFile = f.has("key-file") ? keyFile(f) : null;
    } else if (role == Role.PEER) {
      if (f.has("key-file")) {
        f.problem("key-file", "only an origin has a key file");
      }
      if (f.has("copies")) {
        f.problem("copies", "only an origin pushes copies; a peer's budget is upload");
      }
      join = f.has("join") ? join(f) : missing(f, "join",
          "a peer needs the origin's join address, http://host:port/mount#floe=<channel key>");
    }
    Integer upload = f.has("upload") ? rate(f, "upload", 0, 100_000) : Integer.valueOf(512);
    Integer bitrate = f.has("bitrate") ? rate(f, "bitrate", 8, 1000) : Integer.valueOf(128);
    Long copies = f.has("copies") ? f.whole("copies", 1, 4) : Long.valueOf(2);
    Long partners = f.has("partners") ? f.whole("partners", 1, 16) : Long.valueOf(6);
    Integer lag = f.has("lag") ? lag(f) : Integer.valueOf(0);
    if (problems.size() > before || role == null || upload == null || bitrate == null
        || copies == null || partners == null || lag == null) {
      return null;
    }
    return new SwarmSettings(role, keyFile, join, upload, copies.intValue(), bitrate, lag,
        partners.intValue());
  }

  private static <T> T missing(Fields f, String key, String reason) {
    f.problem(key, "missing: " + reason);
    return null;
  }

  private static Role role(Fields f) {
    if (!f.has("role")) {
      return missing(f, "role", "set role = origin or role = peer");
    }
    String text = f.text("role", false);
    if (text == null) {
      return null;
    }
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "origin" -> Role.ORIGIN;
      case "peer" -> Role.PEER;
      default -> {
        f.problem("role", "expected origin or peer, got \"" + text + "\"");
        yield null;
      }
    };
  }

  private static Path keyFile(Fields f) {
    String text = f.text("key-file", false);
    if (text == null) {
      return null;
    }
    try {
      return Path.of(text).toAbsolutePath();
    } catch (InvalidPathException e) {
      f.problem("key-file", "not a usable file name: " + e.getReason());
      return null;
    }
  }

  private static JoinAddress join(Fields f) {
    String text = f.text("join", false);
    if (text == null) {
      return null;
    }
    try {
      return JoinAddress.parse(text);
    } catch (IllegalArgumentException e) {
      f.problem("join", e.getMessage());
      return null;
    }
  }

  /** A rate such as {@code 512kbit}, {@code 512k} or {@code 512} (kbit/s). */
  private static Integer rate(Fields f, String key, int min, int max) {
    String text = f.text(key, false);
    if (text == null) {
      return null;
    }
    Matcher m = RATE.matcher(text);
    if (!m.matches()) {
      f.problem(key, "expected a rate in kbit/s such as 512kbit, got \"" + text + "\"");
      return null;
    }
    int v = Integer.parseInt(m.group(1));
    if (v < min || v > max) {
      f.problem(key, "must be between " + min + "kbit and " + max + "kbit, got " + v + "kbit");
      return null;
    }
    return v;
  }

  /** {@code auto} (0) or whole seconds from 3 s to 30 s. */
  private static Integer lag(Fields f) {
    String text = f.text("lag", false);
    if (text == null) {
      return null;
    }
    if (text.trim().equalsIgnoreCase("auto")) {
      return 0;
    }
    Matcher m = SECONDS.matcher(text);
    int s = m.matches() ? Integer.parseInt(m.group(1)) : -1;
    if (s < 3 || s > 30) {
      f.problem("lag", "expected auto or a whole number of seconds from 3s to 30s, got \""
          + text + "\"");
      return null;
    }
    return s * 1000;
  }
}
