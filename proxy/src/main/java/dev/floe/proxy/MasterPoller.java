package dev.floe.proxy;

import dev.floe.proxy.config.FloeConfig;
import dev.floe.proxy.config.MasterSettings;
import dev.floe.proxy.config.MountSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays an Icecast master's mounts, as an Icecast slave does ({@code floe.master}): every
 * interval, on a thread of its own, reads the master's {@code /admin/streamlist.txt} (one mount
 * path a line) with the relay credentials, and applies the configuration plus one relay mount
 * per listed path that is not configured ({@link MountSettings#relayAt}, the mount defaults,
 * upstream {@code <master><path>}) through {@link Floe#reload}. A mount that leaves the list is
 * removed (its listeners are closed, as on an Icecast slave). When the master cannot be read
 * the relays keep running and the failure is logged. A reload of the file (SIGHUP) goes through
 * {@link #withRelays} so the relays survive it.
 */
final class MasterPoller implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MasterPoller.class);
  /** Longest stream list read. */
  private static final int MAX_LIST = 1024 * 1024;

  private final Floe floe;
  private final MasterSettings master;
  private final HttpClient http;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "floe-master-poller");
    t.setDaemon(true);
    return t;
  });
  private FloeConfig base;
  private List<String> listed = List.of();

  MasterPoller(Floe floe, FloeConfig base) {
    this.floe = floe;
    this.base = base;
    this.master = base.master();
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NORMAL).build();
  }

  /** Reads the list now and then every interval. */
  void start() {
    long every = master.interval().toMillis();
    timer.scheduleWithFixedDelay(this::pollLogged, 0, every, TimeUnit.MILLISECONDS);
  }

  private void pollLogged() {
    try {
      poll();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("master {}: cannot read the stream list: {}; keeping {} relay(s)",
          master.url(), e.toString(), listed.size());
    }
  }

  private void poll() throws Exception {
    String auth = Base64.getEncoder().encodeToString((master.user() + ":" + master.password())
        .getBytes(StandardCharsets.UTF_8));
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(master.streamList())
        .timeout(Duration.ofSeconds(10)).header("Authorization", "Basic " + auth)
        .header("User-Agent", "Floe").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      log.warn("master {}: stream list answered {}; keeping {} relay(s)", master.url(),
          r.statusCode(), listed.size());
      return;
    }
    byte[] body = r.body();
    String text = new String(body, 0, Math.min(body.length, MAX_LIST), StandardCharsets.UTF_8);
    List<String> paths = paths(text);
    synchronized (this) {
      if (paths.equals(listed)) {
        return;
      }
      listed = paths;
      List<String> changes = floe.reload(withRelays(base));
      log.info("master {}: {} mount(s) listed: {}", master.url(), paths.size(),
          changes.isEmpty() ? "no changes" : String.join("; ", changes));
    }
  }

  /** The mount paths of a stream list: lines starting with {@code /}, without repeats. */
  static List<String> paths(String streamList) {
    Set<String> out = new LinkedHashSet<>();
    for (String line : streamList.split("\r?\n")) {
      String p = line.trim();
      if (p.startsWith("/") && p.length() > 1 && p.chars().noneMatch(c -> c <= ' ' || c == '?'
          || c == '#')) {
        out.add(p);
      }
    }
    return List.copyOf(out);
  }

  /**
   * {@code next} (the configuration from the file) plus a relay mount for each listed path it
   * does not configure; remembered as the base of later polls.
   */
  synchronized FloeConfig withRelays(FloeConfig next) {
    base = next;
    List<MountSettings> mounts = new ArrayList<>(next.mounts());
    Set<String> configured = new java.util.HashSet<>();
    next.mounts().forEach(m -> configured.add(m.path()));
    for (String path : listed) {
      if (!configured.contains(path)) {
        mounts.add(next.mountDefaults().relayAt(path, URI.create(master.url().toString()
            .replaceAll("/+$", "") + path)));
      }
    }
    return next.withMounts(mounts);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
