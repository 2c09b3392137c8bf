package dev.floe.proxy;

import dev.floe.proxy.config.ConfigLoader;
import dev.floe.proxy.config.FloeConfig;
import dev.floe.proxy.config.FloeVersion;
import dev.floe.proxy.config.InvalidConfigException;
import dev.floe.proxy.config.ServerChanges;
import dev.floe.proxy.config.InvalidConfigException.Problem;
import dev.floe.proxy.config.MountSettings;
import dev.floe.proxy.mount.Fatal;
import dev.floe.proxy.playlist.Demo;
import dev.floe.proxy.upstream.StreamPlaylist;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * The {@code floe} command line: {@code relay}, {@code server}, {@code run} and {@code check}.
 *
 * <p>Exit codes: 0 success, 1 the server failed to start, 2 bad usage or an invalid
 * configuration (every problem is printed to stderr as {@code <source>: <key>: <reason>}).
 * {@link #execute} returns {@link #KEEP_RUNNING} once a server is listening; {@link #main} then
 * waits for it, and a JVM shutdown hook closes it.
 *
 * <p>Over 400 lines because each subcommand is a small nested class here, where picocli reads
 * its options; the work is elsewhere ({@link Floe}, {@code ConfigLoader}, {@code ServerChanges}).
 */
@Command(
    name = "floe",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Icecast-compatible relay and peer proxy.",
    subcommands = {Main.Relay.class, Main.Server.class, Main.Run.class, Main.Check.class, HelpCommand.class})
public final class Main implements Callable<Integer> {
  /** Returned by {@link #execute} when a server was started and the process must stay up. */
  public static final int KEEP_RUNNING = -1;
  /** The server could not start (for example, the port is in use). */
  static final int FAILED = 1;
  /** Bad usage or invalid configuration. */
  static final int USAGE = 2;

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private final PrintWriter out;
  private final PrintWriter err;
  private CommandLine commandLine;
  private Floe running;

  private Main(PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
  }

  /** Runs the command line; exits the JVM unless a server was started, then waits for it. */
  public static void main(String[] args) {
    Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
      Fatal.exitIfOutOfMemory(e);
      if (previous != null) {
        previous.uncaughtException(t, e);
      } else {
        System.err.print("Exception in thread \"" + t.getName() + "\" ");
        e.printStackTrace();
      }
    });
    bridgeJavaLogging();
    Main app = new Main(new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    int code = app.run(args);
    if (code != KEEP_RUNNING) {
      System.exit(code);
    }
    app.awaitShutdown();
  }

  /**
   * Sends java.util.logging (where {@code System.Logger}, used by the swarm node, goes by
   * default) to SLF4J, so the process logs in one format. INFO and above only: finer levels are
   * not even formatted.
   */
  static void bridgeJavaLogging() {
    org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
    org.slf4j.bridge.SLF4JBridgeHandler.install();
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.INFO);
  }

  /**
   * Runs the command line with stdout and stderr and returns the exit code, or {@link
   * #KEEP_RUNNING} when a server was started (it is closed by a JVM shutdown hook).
   */
  public static int execute(String... args) {
    return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** As {@link #execute(String...)}, writing to the given streams (for tests). */
  static int execute(PrintWriter out, PrintWriter err, String... args) {
    return new Main(out, err).run(args);
  }

  private int run(String... args) {
    commandLine = new CommandLine(this);
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
      LOG.error("unexpected error", e);
      err.println("floe: unexpected error: " + e);
      return FAILED;
    });
    int code = commandLine.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /**
   * {@code floe} without a sub-command: the demo, a playlist of bundled tone melodies on {@code
   * http://localhost:8000/demo.mp3} (the {@code FLOE_PORT} environment variable picks another
   * port). Prints the URL to open.
   */
  @Override
  public Integer call() {
    FloeConfig config;
    String port = System.getenv().getOrDefault("FLOE_PORT", "8000");
    try {
      Path dir = Demo.extract();
      config = ConfigLoader.load(Demo.config(dir, port));
    } catch (InvalidConfigException e) {
      return invalid(e, "nothing started");
    } catch (java.io.IOException e) {
      err.println("floe: cannot unpack the demo: " + e.getMessage());
      return FAILED;
    }
    int code = start(config);
    if (code == KEEP_RUNNING) {
      out.println("Floe demo: open http://localhost:" + running.port() + "/demo.mp3 in a player"
          + " (floe --help lists the commands)");
      out.flush();
    }
    return code;
  }

  private int invalid(InvalidConfigException e, String outcome) {
    err.println(e.getMessage());
    err.println("floe: " + e.problems().size() + " configuration problem(s); " + outcome);
    return USAGE;
  }

  private int start(FloeConfig config) {
    if (config.mounts().isEmpty() && !config.server().sources().createMounts()) {
      LOG.warn("No mounts configured (floe.mounts is empty)");
    }
    Floe floe;
    try {
      floe = Floe.start(config);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      LOG.debug("Start failed", e);
      err.println("floe: failed to start: " + (e.getMessage() != null ? e.getMessage() : e));
      return FAILED;
    }
    running = floe;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> close(floe), "floe-shutdown"));
    LOG.info("{}", listeningLine(config, floe.port()));
    if (floe.shoutcastPort() > 0) {
      LOG.info("SHOUTcast v1 sources on port {} feed {}", floe.shoutcastPort(),
          config.server().sources().shoutcastMount());
    }
    return KEEP_RUNNING;
  }

  private void awaitShutdown() {
    try {
      running.awaitShutdown();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void close(Floe floe) {
    try {
      floe.close();
    } catch (Exception e) {
      LOG.warn("Error while shutting down", e);
    }
  }

  /** {@code Floe 1.0 listening on 0.0.0.0:8000, mounts: /a <- http://h/a, /b <- ...}. */
  static String listeningLine(FloeConfig config, int port) {
    String mounts = config.mounts().stream()
        .map(Main::describe)
        .collect(Collectors.joining(", "));
    return "Floe " + FloeVersion.current() + " listening on " + config.server().bind() + ":"
        + port + ", mounts: " + (mounts.isEmpty() ? "(none)" : mounts)
        + (config.server().sources().createMounts() ? "; sources may create any mount" : "");
  }

  private static String describe(MountSettings mount) {
    if (mount.playlist() != null) {
      return mount.path() + " <- playlist " + mount.playlist() + " (or a source)";
    }
    if (mount.upstreams().isEmpty()) {
      return mount.path() + " <- (source)";
    }
    if (mount.swarm() != null && !mount.swarm().origin()) {
      return mount.path() + " <- swarm " + mount.swarm().join() + " (fallback "
          + mount.upstreams().stream().map(Main::redact).collect(Collectors.joining(" | "))
          + ")";
    }
    return mount.path() + " <- " + mount.upstreams().stream()
        .map(Main::redact)
        .collect(Collectors.joining(" | "));
  }

  /** Hides the password of {@code http://user:password@host/}. */
  static String redact(URI uri) {
    String userInfo = uri.getRawUserInfo();
    if (userInfo == null) {
      return uri.toString();
    }
    int colon = userInfo.indexOf(':');
    String shown = colon < 0 ? userInfo : userInfo.substring(0, colon) + ":***";
    return uri.toString().replace(userInfo + "@", shown + "@");
  }

  /** {@code floe relay}. */
  @Command(
      name = "relay",
      mixinStandardHelpOptions = true,
      description = "Relay one upstream stream on one mount, without a config file.")
  static final class Relay implements Callable<Integer> {
    @ParentCommand private Main app;

    @Parameters(arity = "1..*", paramLabel = "<upstream-url>",
        description = "URL of the stream to relay, e.g. http://radio.example:8000/live; give"
            + " several (Floe nodes or Icecast servers relaying the same source) in priority"
            + " order to fail over between them without a gap. A swarm's join address"
            + " (http://radio.example:8000/live#floe=<key>, quoted) joins its swarm as a"
            + " peer, with the other URLs as fallbacks.")
    private List<String> upstreams;

    @Option(names = "--port", paramLabel = "N",
        description = "Listening port (default 8000; 0 picks any free port).")
    private Integer port;

    @Option(names = "--bind", paramLabel = "ADDR",
        description = "Listening address (default 0.0.0.0: all interfaces).")
    private String bind;

    @Option(names = "--mount", paramLabel = "/path",
        description = "Mount path (default: the upstream URL's path, or /stream).")
    private String mount;

    @Override
    public Integer call() {
      FloeConfig config;
      try {
        List<URI> uris = new ArrayList<>();
        for (String u : upstreams) {
          uris.add(parse(u));
        }
        config = ConfigLoader.forRelay(uris, port, bind,
            mount != null || uris.isEmpty() ? mount : mountFromStream(uris.get(0)));
      } catch (InvalidConfigException e) {
        return app.invalid(e, "nothing started");
      }
      return app.start(config);
    }

    /**
     * For a playlist link, the path of its first stream (fetched once, 5 s at most), so {@code
     * floe relay http://host/listen.pls} serves {@code /live} when the list names {@code
     * http://host:8000/live}; null (the URL's own path) otherwise or when it cannot be read.
     */
    private static String mountFromStream(URI upstream) {
      if (!ConfigLoader.playlistUrl(upstream)) {
        return null;
      }
      try {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(upstream)
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofInputStream());
        byte[] body;
        try (InputStream in = r.body()) {
          body = in.readNBytes(StreamPlaylist.MAX_BYTES);
        }
        StreamPlaylist.Verdict v = StreamPlaylist.inspect(
            r.headers().firstValue("Content-Type").orElse(null), body, body.length, true,
            r.uri());
        return r.statusCode() == 200 && v.kind() == StreamPlaylist.Kind.PLAYLIST
            ? ConfigLoader.defaultMountPath(v.streams().get(0)) : null;
      } catch (IOException | RuntimeException e) {
        LOG.info("{} could not be read to name the mount ({}); naming it from the URL",
            upstream, e.toString());
        return null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }

    private static URI parse(String url) throws InvalidConfigException {
      try {
        return new URI(url.trim());
      } catch (URISyntaxException e) {
        throw new InvalidConfigException("(command line)", List.of(new Problem("upstream",
            "not a valid URL: " + e.getReason() + " at index " + e.getIndex())));
      }
    }
  }

  /** {@code floe server}: a bare Icecast. */
  @Command(
      name = "server",
      mixinStandardHelpOptions = true,
      description = "Run as a bare Icecast: any mount accepts a source with the source password;"
          + " SHOUTcast v1 sources on port + 1.")
  static final class Server implements Callable<Integer> {
    @ParentCommand private Main app;

    @Option(names = "--port", paramLabel = "N",
        description = "Listening port for listeners and sources (default 8000; 0 picks any free"
            + " port and turns the SHOUTcast port off).")
    private Integer port;

    @Option(names = "--bind", paramLabel = "ADDR",
        description = "Listening address (default 0.0.0.0: all interfaces).")
    private String bind;

    @Option(names = "--source-password", paramLabel = "PW",
        description = "Source password, user \"source\" (default hackme, as Icecast's sample).")
    private String sourcePassword;

    @Option(names = "--admin-password", paramLabel = "PW",
        description = "Admin password for the admin API.")
    private String adminPassword;

    @Override
    public Integer call() {
      FloeConfig config;
      try {
        config = ConfigLoader.forServer(port, bind, sourcePassword, adminPassword);
      } catch (InvalidConfigException e) {
        return app.invalid(e, "nothing started");
      }
      return app.start(config);
    }
  }

  /** {@code floe run}. */
  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = "Run with a configuration file (see docs/floe.conf).")
  static final class Run implements Callable<Integer> {
    @ParentCommand private Main app;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
        description = "HOCON configuration file, or Icecast's icecast.xml.")
    private Path config;

    @Override
    public Integer call() {
      FloeConfig loaded;
      try {
        loaded = ConfigLoader.load(config, ignored -> app.err.println("floe: " + ignored));
      } catch (InvalidConfigException e) {
        return app.invalid(e, "nothing started");
      }
      int code = app.start(loaded);
      if (code == KEEP_RUNNING) {
        java.util.function.UnaryOperator<FloeConfig> relays = next -> next;
        if (loaded.master() != null) {
          MasterPoller poller = new MasterPoller(app.running, loaded);
          poller.start();
          relays = poller::withRelays;
        }
        Reloader.onHangup(app.running, config, relays);
      }
      return code;
    }
  }

  /** {@code floe check}. */
  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = "Validate a configuration file, print every problem, and exit.")
  static final class Check implements Callable<Integer> {
    @ParentCommand private Main app;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
        description = "HOCON configuration file, or Icecast's icecast.xml.")
    private Path config;

    @Option(names = "--against", paramLabel = "RUNNING",
        description = "The file the running Floe started from: also print what a reload to"
            + " FILE does with each changed server key (applied, or needs a restart).")
    private Path against;

    @Override
    public Integer call() {
      FloeConfig loaded;
      FloeConfig running = null;
      try {
        loaded = ConfigLoader.load(config, ignored -> app.out.println(ignored));
        if (against != null) {
          running = ConfigLoader.load(against);
        }
      } catch (InvalidConfigException e) {
        return app.invalid(e, "check failed");
      }
      if (loaded.mounts().isEmpty() && !loaded.server().sources().createMounts()) {
        app.err.println("warning: no mounts configured (floe.mounts is empty)");
      }
      if (running != null) {
        ServerChanges.between(running.server(), loaded.server())
            .forEach(line -> app.out.println("reload: " + line));
      }
      app.out.println("OK: " + loaded.mounts().size() + " mount(s)");
      return 0;
    }
  }

  /** {@code floe --version}: {@code floe <Implementation-Version>}, or {@code floe dev}. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"floe " + FloeVersion.current()};
    }
  }
}
