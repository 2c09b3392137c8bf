package dev.floe.proxy.config;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.floe.proxy.config.InvalidConfigException.Problem;
import dev.floe.swarm.node.PeerLimits;
import dev.floe.swarm.wire.FrameType;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads and validates {@code floe.server.limits} into {@link LimitSettings}. */
final class LimitsParser {
  /** Characters of an IPv4 or IPv6 literal; anything else would mean a DNS lookup. */
  private static final Pattern IP = Pattern.compile("[0-9A-Fa-f:.]+");

  private LimitsParser() {}

  /** The settings, or null when a problem was recorded. */
  static LimitSettings parse(Fields server, List<Problem> problems) {
    ConfigValue value = server.present("limits");
    if (value == null) {
      return null;
    }
    if (value.valueType() != ConfigValueType.OBJECT) {
      server.problem("limits", "expected an object, got " + Fields.describe(value));
      return null;
    }
    int before = problems.size();
    Fields f = new Fields((ConfigObject) value, server.key("limits"), problems);
    Keys.reportUnknown(f, Keys.Section.LIMITS);
    Long perIp = f.whole("max-connections-per-ip", 1, Integer.MAX_VALUE);
    Long rate = f.whole("admin-rate", 1, 1_000_000);
    Long burst = f.whole("admin-burst", 1, 1_000_000);
    Long failures = f.whole("auth-failures", 1, 1_000_000);
    Duration window = f.positiveDuration("auth-window");
    Duration backoff = f.positiveDuration("auth-backoff");
    Duration backoffMax = f.positiveDuration("auth-backoff-max");
    if (backoff != null && backoffMax != null && backoffMax.compareTo(backoff) < 0) {
      f.problem("auth-backoff-max", "must be at least auth-backoff (" + Units.duration(backoff)
          + "), got " + Units.duration(backoffMax));
    }
    Long writeBuffer = f.bytes("listener-write-buffer", 4 * 1024, 64 * 1024 * 1024);
    Set<String> exempt = exempt(f);
    Long frame = f.bytes("peer-frame-bytes", PeerLimits.MIN_FRAME_BYTES, FrameType.MAX_FRAME);
    Long peerRate = f.whole("peer-requests-per-second", 1, 1_000_000);
    Long peerBurst = f.whole("peer-request-burst", 1, 1_000_000);
    Long queue = f.bytes("peer-queue-bytes", PeerLimits.MIN_QUEUE_BYTES, 64 * 1024 * 1024);
    Long partners = f.whole("peer-partners", 1, 64); // SchedulerConfig: partnerMax 1 to 64
    if (problems.size() > before) {
      return null;
    }
    return new LimitSettings(perIp.intValue(), rate.intValue(), burst.intValue(),
        failures.intValue(), window, backoff, backoffMax, writeBuffer.intValue(), exempt,
        new PeerLimits(frame.intValue(), peerRate, peerBurst.intValue(), queue),
        partners.intValue());
  }

  /** {@code exempt}: a list of IP literals, normalised; null after a problem. */
  private static Set<String> exempt(Fields f) {
    ConfigValue value = f.present("exempt");
    if (value == null) {
      return null;
    }
    if (value.valueType() != ConfigValueType.LIST) {
      f.problem("exempt", "expected a list of IP addresses, got " + Fields.describe(value));
      return null;
    }
    Set<String> out = new LinkedHashSet<>();
    boolean ok = true;
    ConfigList list = (ConfigList) value;
    for (int i = 0; i < list.size(); i++) {
      String text = Fields.textOf(list.get(i));
      String ip = text == null || !IP.matcher(text).matches() ? null : literal(text);
      if (ip == null) {
        f.problemBelow("exempt[" + i + "]", "expected an IP address such as 127.0.0.1 or ::1, got "
            + Fields.describe(list.get(i)));
        ok = false;
      } else {
        out.add(ip);
      }
    }
    return ok ? out : null;
  }

  private static String literal(String text) {
    try {
      return InetAddress.getByName(text).getHostAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
