package dev.floe.proxy.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real Debian {@code icecast2} (2.4.x) on a free 127.0.0.1 port, configured from a generated
 * {@code icecast.xml} in the work dir, where its {@code error.log}, {@code access.log} and
 * captured stdout ({@code icecast.stdout.log}) also go.
 *
 * <p>icecast2 refuses to run as root. When the JVM runs as root (CI does) the config gets a
 * {@code <security><changeowner>} block with the user and group of the Debian package
 * ({@code icecast2:icecast}, read from {@code /etc/default/icecast2}); icecast2 binds its port
 * and reads the config as root, then drops to that user before it opens its logs, so the work
 * dir is chowned to that user and its ancestors must be traversable by it.
 *
 * <pre>{@code
 * try (IcecastServer ice = IcecastServer.builder().burstSize(0).start(dir)) {
 *   ice.awaitMount("/live.mp3", Duration.ofSeconds(10));
 * }
 * }</pre>
 */
public final class IcecastServer implements AutoCloseable {

  /** Upper bound for icecast2 to answer {@code /status-json.xsl} after it was started. */
  public static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(15);

  private static final Duration STOP_GRACE = Duration.ofSeconds(10);
  private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(5);
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2))
      .build();

  private final Builder config;
  private final Path workDir;
  private final Path configFile;
  private final Path errorLog;
  private final Path accessLog;
  private final Path stdoutLog;
  private int port;
  private volatile Process process;

  private IcecastServer(Builder config, Path workDir) {
    this.config = config;
    this.workDir = workDir.toAbsolutePath();
    this.configFile = this.workDir.resolve("icecast.xml");
    this.errorLog = this.workDir.resolve("error.log");
    this.accessLog = this.workDir.resolve("access.log");
    this.stdoutLog = this.workDir.resolve("icecast.stdout.log");
  }

  /** Starts icecast2 with the defaults (passwords {@code hackme}, burst 65536, 100 clients). */
  public static IcecastServer start(Path workDir) {
    return builder().start(workDir);
  }

  /** A builder for non-default options. */
  public static Builder builder() {
    return new Builder();
  }

  /** The port icecast2 listens on (127.0.0.1 only); unchanged by {@link #restart()}. */
  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:<port><mount>}; {@code mount} starts with {@code /}. */
  public String url(String mount) {
    return "http://127.0.0.1:" + port + mount;
  }

  /** The work dir holding the config and logs. */
  public Path workDir() {
    return workDir;
  }

  /** The generated {@code icecast.xml}. */
  public Path configFile() {
    return configFile;
  }

  /** The source password ({@code source} is the user name). */
  public String sourcePassword() {
    return config.sourcePassword;
  }

  /** The admin password ({@code admin} is the user name). */
  public String adminPassword() {
    return config.adminPassword;
  }

  /** The pid of the running icecast2 process. */
  public long pid() {
    Process p = process;
    if (p == null) {
      throw new IllegalStateException("icecast2 is not running");
    }
    return p.pid();
  }

  /** Whether the icecast2 process is running. */
  public boolean isAlive() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /**
   * Sets the ICY title of a live mount through {@code /admin/metadata?mode=updinfo} with the
   * admin credentials, and asserts that icecast2 accepted it ({@code <return>1</return>}).
   * Ogg mounts do not accept this (icecast2 takes titles from the Ogg comments).
   */
  public void setMetadata(String mount, String song) {
    String body = admin("/admin/metadata?mode=updinfo&mount=" + enc(mount) + "&song=" + enc(song));
    if (!body.contains("<return>1</return>")) {
      throw new AssertionError("icecast2 refused the metadata update for " + mount + ": " + body);
    }
  }

  /**
   * A GET on an admin path with Basic admin auth (e.g. {@code /admin/listclients?mount=/m});
   * asserts status 200 and returns the body.
   */
  public String admin(String pathAndQuery) {
    HttpResponse<String> r = get(pathAndQuery, "admin", config.adminPassword);
    if (r.statusCode() != 200) {
      throw new AssertionError("GET " + pathAndQuery + " answered " + r.statusCode() + ": "
          + r.body());
    }
    return r.body();
  }

  /**
   * The body of {@code /status-json.xsl}. Note the 2.4.4 quirks: {@code source} is an object
   * for one mount and an array for several, mounts are identified by {@code listenurl}, and
   * with no source at all the body is not valid JSON
   * ({@code {"icestats":"server_start":"...",...,"dummy":null}}): do not feed it to a strict
   * parser, match strings.
   */
  public String statusJson() {
    HttpResponse<String> r = get("/status-json.xsl", null, null);
    if (r.statusCode() != 200) {
      throw new AssertionError("/status-json.xsl answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  /** Whether {@code mount} has a live source (its listenurl is in {@code /status-json.xsl}). */
  public boolean isMountLive(String mount) {
    return isAlive() && statusJson().contains("\"listenurl\":\"" + url(mount) + "\"");
  }

  /** Waits (bounded) until {@code mount} is live; fails with the icecast2 log otherwise. */
  public void awaitMount(String mount, Duration timeout) {
    try {
      Awaitility.await("mount " + mount + " live on icecast2 :" + port)
          .atMost(timeout)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(100))
          // a starting icecast2 may reset a connection: not live yet (a dead one fails isAlive)
          .ignoreExceptionsInstanceOf(java.io.UncheckedIOException.class)
          .until(() -> isMountLive(mount));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "\n--- icecast2 log ---\n"
          + Procs.tail(log(), 4000), e);
    }
  }

  /** Waits (bounded) until {@code mount} is gone from {@code /status-json.xsl}. */
  public void awaitMountGone(String mount, Duration timeout) {
    Awaitility.await("mount " + mount + " gone from icecast2 :" + port)
        .atMost(timeout)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> !isMountLive(mount));
  }

  /** The error log followed by the captured stdout/stderr, for diagnostics. */
  public String log() {
    return Procs.read(errorLog) + Procs.read(stdoutLog);
  }

  /** The access log (one line per finished request or listener). */
  public String accessLog() {
    return Procs.read(accessLog);
  }

  /**
   * Stops icecast2 with SIGTERM (it takes about 2.5 s to shut its threads down), SIGKILL after
   * 10 s. Connected sources (ffmpeg) then fail with "Broken pipe" and exit.
   */
  public void stop() {
    Process p = process;
    process = null;
    Procs.stop(p, STOP_GRACE);
  }

  /** Kills icecast2 with SIGKILL: a crash, no orderly shutdown. */
  public void kill() {
    Process p = process;
    process = null;
    if (p != null) {
      Procs.kill(p);
    }
  }

  /**
   * Stops icecast2 (if running) and starts it again on the same port with the same config;
   * waits ready. Also brings it back after {@link #stop()} or {@link #kill()}.
   */
  public void restart() {
    stop();
    launchAndAwait();
  }

  /** Stops icecast2 if it is still running. */
  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return "icecast2 :" + port + " (" + workDir + ")";
  }

  private void startFresh() {
    prepareWorkDir();
    int attempts = config.port > 0 ? 1 : 3;
    for (int attempt = 1; ; attempt++) {
      port = config.port > 0 ? config.port : Ports.free();
      writeConfig();
      try {
        launchAndAwait();
        return;
      } catch (PortTakenException e) {
        if (attempt >= attempts) {
          throw new AssertionError("icecast2 could not bind 127.0.0.1:" + port + "\n" + log(), e);
        }
      }
    }
  }

  /**
   * Starts icecast2 and waits until it answers. icecast2 2.4.4 itself sometimes dies of a
   * segmentation fault (exit 139) in its first second after a restart (seen once in a CI run,
   * in FixturesSanityTest's restart): a crash at start is retried once, said on stderr, so a
   * test of Floe does not fail on icecast2's bug; a second crash fails the test.
   */
  private void launchAndAwait() {
    try {
      launchAndAwaitOnce();
    } catch (CrashedAtStart e) {
      System.err.println("icecast2 crashed at start (" + e.getMessage() + "); starting it again");
      launchAndAwaitOnce();
    }
  }

  /** icecast2 was killed by a signal before it answered. */
  private static final class CrashedAtStart extends RuntimeException {
    CrashedAtStart(String message) {
      super(message);
    }
  }

  private void launchAndAwaitOnce() {
    Path exe = Tools.icecast2();
    Process p = Procs.start(List.of(exe.toString(), "-c", configFile.toString()), workDir,
        stdoutLog);
    process = p;
    try {
      Awaitility.await("icecast2 on 127.0.0.1:" + port + " answering /status-json.xsl")
          .atMost(STARTUP_TIMEOUT)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(50))
          .until(() -> {
            if (!p.isAlive()) {
              throw new IllegalStateException("icecast2 exited with " + p.exitValue());
            }
            return statusCode("/status-json.xsl") == 200;
          });
    } catch (ConditionTimeoutException | IllegalStateException e) {
      String log = log();
      int exited = p.isAlive() ? -1 : p.exitValue(); // before the stop's own signal
      Procs.stop(p, STOP_GRACE);
      process = null;
      if (log.contains("Could not create listener socket")) {
        throw new PortTakenException();
      }
      if (exited > 128) {
        throw new CrashedAtStart("exit " + exited + ", signal " + (exited - 128));
      }
      throw new AssertionError("icecast2 did not start on 127.0.0.1:" + port + ": " + e.getMessage()
          + "\n--- " + configFile + " ---\n" + Procs.read(configFile)
          + "\n--- icecast2 log ---\n" + Procs.tail(log, 6000), e);
    }
  }

  private int statusCode(String path) {
    try {
      return HTTP.send(request(path, null, null), HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private HttpResponse<String> get(String path, String user, String password) {
    try {
      return HTTP.send(request(path, user, password),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + url(path) + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during GET " + path, e);
    }
  }

  private HttpRequest request(String path, String user, String password) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(HTTP_TIMEOUT)
        .GET();
    if (user != null) {
      String token = Base64.getEncoder()
          .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
      b.header("Authorization", "Basic " + token);
    }
    return b.build();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private void prepareWorkDir() {
    try {
      Files.createDirectories(workDir);
      if (!RunAs.isRoot()) {
        return;
      }
      RunAs.Account account = RunAs.icecastAccount();
      PosixFileAttributeView view = Files.getFileAttributeView(workDir,
          PosixFileAttributeView.class);
      UserPrincipalLookupService lookup = workDir.getFileSystem().getUserPrincipalLookupService();
      UserPrincipal user = lookup.lookupPrincipalByName(account.user());
      GroupPrincipal group = lookup.lookupPrincipalByGroupName(account.group());
      view.setOwner(user);
      view.setGroup(group);
      for (String name : List.of("error.log", "access.log")) {
        Path f = workDir.resolve(name);
        if (Files.exists(f)) {
          Files.setOwner(f, user);
        }
      }
      makeAncestorsTraversable(account.user());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + workDir + " for icecast2", e);
    }
  }

  /**
   * The dropped-privilege icecast2 must reach the work dir. Ancestors without "others may
   * traverse" get o+x when they are scratch dirs (below java.io.tmpdir or floe.tmp), e.g. a
   * JUnit {@code @TempDir}; anything else fails with an explanation.
   */
  private void makeAncestorsTraversable(String user) throws IOException {
    List<Path> scratchRoots = new ArrayList<>();
    scratchRoots.add(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize());
    String floeTmp = System.getProperty("floe.tmp");
    if (floeTmp != null) {
      scratchRoots.add(Path.of(floeTmp).toAbsolutePath().normalize());
    }
    for (Path dir = workDir.getParent(); dir != null; dir = dir.getParent()) {
      PosixFileAttributes attrs = Files.readAttributes(dir, PosixFileAttributes.class);
      Set<PosixFilePermission> perms = EnumSet.copyOf(attrs.permissions());
      if (perms.contains(PosixFilePermission.OTHERS_EXECUTE)
          || attrs.owner().getName().equals(user)) {
        continue;
      }
      Path here = dir;
      boolean scratch = scratchRoots.stream().anyMatch(r -> here.startsWith(r));
      if (!scratch) {
        throw new AssertionError("icecast2 runs as user " + user + " and cannot traverse " + dir
            + " (mode " + java.nio.file.attribute.PosixFilePermissions.toString(perms)
            + "): use a work dir below java.io.tmpdir or floe.tmp (TestDirs.create)");
      }
      perms.add(PosixFilePermission.OTHERS_EXECUTE);
      Files.setPosixFilePermissions(dir, perms);
    }
  }

  private void writeConfig() {
    StringBuilder x = new StringBuilder();
    x.append("<icecast>\n")
        .append("  <location>Floe interop test</location>\n")
        .append("  <admin>floe@localhost</admin>\n")
        .append("  <hostname>127.0.0.1</hostname>\n")
        .append("  <limits>\n")
        .append("    <clients>").append(config.clientsLimit).append("</clients>\n")
        .append("    <sources>").append(config.sourcesLimit).append("</sources>\n")
        .append("    <queue-size>").append(config.queueSize).append("</queue-size>\n")
        .append("    <client-timeout>30</client-timeout>\n")
        .append("    <header-timeout>15</header-timeout>\n")
        .append("    <source-timeout>10</source-timeout>\n")
        .append("    <burst-on-connect>").append(config.burstSize > 0 ? 1 : 0)
        .append("</burst-on-connect>\n")
        .append("    <burst-size>").append(config.burstSize).append("</burst-size>\n")
        .append("  </limits>\n")
        .append("  <authentication>\n")
        .append("    <source-password>").append(xml(config.sourcePassword))
        .append("</source-password>\n")
        .append("    <relay-password>").append(xml(config.sourcePassword))
        .append("</relay-password>\n")
        .append("    <admin-user>admin</admin-user>\n")
        .append("    <admin-password>").append(xml(config.adminPassword))
        .append("</admin-password>\n")
        .append("  </authentication>\n")
        .append("  <listen-socket>\n")
        .append("    <port>").append(port).append("</port>\n")
        .append("    <bind-address>127.0.0.1</bind-address>\n")
        .append("  </listen-socket>\n")
        .append("  <fileserve>1</fileserve>\n")
        .append("  <paths>\n")
        .append("    <basedir>/usr/share/icecast2</basedir>\n")
        .append("    <logdir>").append(xml(workDir.toString())).append("</logdir>\n")
        .append("    <webroot>/usr/share/icecast2/web</webroot>\n")
        .append("    <adminroot>/usr/share/icecast2/admin</adminroot>\n")
        .append("  </paths>\n")
        .append("  <logging>\n")
        .append("    <accesslog>access.log</accesslog>\n")
        .append("    <errorlog>error.log</errorlog>\n")
        .append("    <loglevel>").append(config.logLevel).append("</loglevel>\n")
        .append("  </logging>\n");
    if (RunAs.isRoot()) {
      RunAs.Account account = RunAs.icecastAccount();
      x.append("  <security>\n")
          .append("    <chroot>0</chroot>\n")
          .append("    <changeowner>\n")
          .append("      <user>").append(xml(account.user())).append("</user>\n")
          .append("      <group>").append(xml(account.group())).append("</group>\n")
          .append("    </changeowner>\n")
          .append("  </security>\n");
    }
    for (String relay : config.relays) {
      x.append(relay).append('\n');
    }
    for (String extra : config.extraXml) {
      x.append(extra).append('\n');
    }
    x.append("</icecast>\n");
    try {
      Files.writeString(configFile, x.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + configFile, e);
    }
  }

  private static String xml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  /** Options for {@link IcecastServer}; {@link #start(Path)} writes the config and starts it. */
  public static final class Builder {
    private String sourcePassword = "hackme";
    private String adminPassword = "hackme";
    private int burstSize = 65536;
    private int clientsLimit = 100;
    private int sourcesLimit = 10;
    private int queueSize = 524288;
    private int logLevel = 3;
    private int port;
    private final List<String> relays = new ArrayList<>();
    private final List<String> extraXml = new ArrayList<>();

    private Builder() {
    }

    /** Password of the {@code source} user (and of the {@code relay} user); default hackme. */
    public Builder sourcePassword(String password) {
      this.sourcePassword = password;
      return this;
    }

    /** Password of the {@code admin} user; default hackme. */
    public Builder adminPassword(String password) {
      this.adminPassword = password;
      return this;
    }

    /** Bytes of burst-on-connect; default 65536; 0 turns burst-on-connect off. */
    public Builder burstSize(int bytes) {
      this.burstSize = bytes;
      return this;
    }

    /** {@code <limits><clients>}: listeners plus sources plus admin requests; default 100. */
    public Builder clientsLimit(int clients) {
      this.clientsLimit = clients;
      return this;
    }

    /** {@code <limits><sources>}; default 10. */
    public Builder sourcesLimit(int sources) {
      this.sourcesLimit = sources;
      return this;
    }

    /** {@code <limits><queue-size>} in bytes: a listener further behind is dropped; 524288. */
    public Builder queueSize(int bytes) {
      this.queueSize = bytes;
      return this;
    }

    /** Error log level 1 (errors) to 4 (debug); default 3 (info). */
    public Builder logLevel(int level) {
      this.logLevel = level;
      return this;
    }

    /** A fixed port instead of a free one (no retry if it is taken). */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** A raw {@code <relay>...</relay>} block. */
    public Builder relayXml(String relayBlock) {
      this.relays.add(relayBlock);
      return this;
    }

    /**
     * A relay that pulls {@code http://127.0.0.1:<port><mount>} into {@code localMount},
     * always on (not on-demand), with ICY metadata.
     */
    public Builder relay(int upstreamPort, String mount, String localMount) {
      return relayXml("  <relay>\n"
          + "    <server>127.0.0.1</server>\n"
          + "    <port>" + upstreamPort + "</port>\n"
          + "    <mount>" + xml(mount) + "</mount>\n"
          + "    <local-mount>" + xml(localMount) + "</local-mount>\n"
          + "    <on-demand>0</on-demand>\n"
          + "    <relay-shoutcast-metadata>1</relay-shoutcast-metadata>\n"
          + "  </relay>");
    }

    /** Any other top-level config XML, e.g. a {@code <mount type="normal">} block. */
    public Builder extraXml(String xmlBlock) {
      this.extraXml.add(xmlBlock);
      return this;
    }

    /** Writes {@code icecast.xml} into {@code workDir}, starts icecast2 and waits ready. */
    public IcecastServer start(Path workDir) {
      IcecastServer server = new IcecastServer(this, workDir);
      server.startFresh();
      return server;
    }
  }

  /** Thrown internally when the chosen port was taken between probe and bind. */
  private static final class PortTakenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PortTakenException() {
      super("port taken", null, false, false);
    }
  }

  /** Whether we are root, and which account icecast2 should drop to. */
  static final class RunAs {
    private static final Pattern VAR = Pattern.compile("^\\s*(USERID|GROUPID)=\"?([^\"\\s]+)\"?",
        Pattern.MULTILINE);

    private RunAs() {
    }

    record Account(String user, String group) {
    }

    static boolean isRoot() {
      try {
        return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
      } catch (IOException | UnsupportedOperationException e) {
        return "root".equals(System.getProperty("user.name"));
      }
    }

    static Account icecastAccount() {
      String user = "icecast2";
      String group = "icecast";
      Path defaults = Path.of("/etc/default/icecast2");
      if (Files.isReadable(defaults)) {
        Matcher m = VAR.matcher(Procs.read(defaults));
        while (m.find()) {
          if (m.group(1).equals("USERID")) {
            user = m.group(2);
          } else {
            group = m.group(2);
          }
        }
      }
      return new Account(user, group);
    }
  }
}
