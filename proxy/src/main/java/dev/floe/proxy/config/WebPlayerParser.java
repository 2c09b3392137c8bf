package dev.floe.proxy.config;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.floe.proxy.config.InvalidConfigException.Problem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Reads and validates {@code floe.server.web-player} into {@link WebPlayerSettings}. */
final class WebPlayerParser {
  /** {@code stun:} or {@code stuns:}, a host name or address, an optional port (RFC 7064). */
  private static final Pattern STUN =
      Pattern.compile("stuns?:(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?");

  private WebPlayerParser() {}

  /** The settings, or null when a problem was recorded. */
  static WebPlayerSettings parse(Fields server, List<Problem> problems) {
    ConfigValue value = server.present("web-player");
    if (value == null) {
      return null;
    }
    if (value.valueType() != ConfigValueType.OBJECT) {
      server.problem("web-player", "expected an object, got " + Fields.describe(value));
      return null;
    }
    int before = problems.size();
    Fields f = new Fields((ConfigObject) value, server.key("web-player"), problems);
    Keys.reportUnknown(f, Keys.Section.WEB_PLAYER);
    Boolean enabled = f.flag("enabled");
    Boolean tracker = f.flag("tracker");
    List<String> stun = stun(f);
    Duration interval = f.positiveDuration("report-interval");
    if (interval != null && (interval.toMillis() < 5_000 || interval.toSeconds() > 600)) {
      f.problem("report-interval", "must be 5s to 10m, got " + Units.duration(interval));
    }
    Long rate = f.whole("report-rate", 1, 1_000);
    Long burst = f.whole("report-burst", 1, 10_000);
    Long peers = f.whole("tracker-max-peers", 1, 1_000_000);
    Duration announce = f.positiveDuration("tracker-interval");
    if (announce != null && (announce.toSeconds() < 10 || announce.toSeconds() > 3600)) {
      f.problem("tracker-interval", "must be 10s to 1h, got " + Units.duration(announce));
    }
    if (problems.size() > before) {
      return null;
    }
    return new WebPlayerSettings(enabled, tracker, stun, interval, rate.intValue(),
        burst.intValue(), peers.intValue(), announce);
  }

  /** {@code stun}: a list of {@code stun:host[:port]} URLs; null after a problem. */
  private static List<String> stun(Fields f) {
    ConfigValue value = f.present("stun");
    if (value == null) {
      return null;
    }
    if (value.valueType() != ConfigValueType.LIST) {
      f.problem("stun", "expected a list such as [\"stun:stun.example.org:3478\"], got "
          + Fields.describe(value));
      return null;
    }
    List<String> out = new ArrayList<>();
    ConfigList list = (ConfigList) value;
    boolean ok = list.size() <= 8;
    if (!ok) {
      f.problem("stun", "at most 8 servers, got " + list.size());
    }
    for (int i = 0; i < list.size() && ok; i++) {
      String text = Fields.textOf(list.get(i));
      if (text == null || !STUN.matcher(text).matches() || !port(text)) {
        f.problemBelow("stun[" + i + "]", "expected a STUN URL such as stun:stun.example.org:3478,"
            + " got " + Fields.describe(list.get(i)));
        ok = false;
      } else {
        out.add(text);
      }
    }
    return ok ? out : null;
  }

  private static boolean port(String url) {
    int colon = url.lastIndexOf(':');
    int bracket = url.lastIndexOf(']');
    if (colon <= url.indexOf(':') || colon < bracket) {
      return true; // no port
    }
    int p = Integer.parseInt(url.substring(colon + 1));
    return p >= 1 && p <= 65535;
  }
}
