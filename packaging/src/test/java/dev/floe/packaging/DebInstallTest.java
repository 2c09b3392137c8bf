package dev.floe.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Installs the .deb on this machine with {@code dpkg -i} (the tests run as root, as CI does),
 * checks the installed system, and purges the package afterwards, checking that the purge
 * leaves nothing behind. The {@code floe} system user is deleted again only if this test
 * created it.
 *
 * <p>No service is left running: without systemd as PID 1 (containers, this machine) the
 * postinst starts nothing; under systemd a temporary {@code /usr/sbin/policy-rc.d} (only if
 * none exists) makes {@code deb-systemd-invoke} refuse the start, as Debian's image builders
 * do. The test fails rather than touch a {@code floe} package that was installed before it.
 */
class DebInstallTest {
  private static final Path POLICY = Path.of("/usr/sbin/policy-rc.d");
  private static final Map<String, String> NONINTERACTIVE =
      Map.of("DEBIAN_FRONTEND", "noninteractive");
  private static boolean ownPolicy;
  private static boolean userExisted;
  private static boolean installed;

  @BeforeAll
  static void install() throws IOException {
    assertThat(Command.run("id", "-u").assertSuccess().out().strip())
        .as("the install test runs dpkg -i and needs root").isEqualTo("0");
    assertThat(packageStatus())
        .as("a floe package is already installed here; this test would replace and purge it."
            + " Remove it first (dpkg --purge floe) or run the test elsewhere")
        .isNotEqualTo("install ok installed");
    userExisted = Command.run("getent", "passwd", "floe").exit() == 0;
    if (Files.isDirectory(Path.of("/run/systemd/system")) && !Files.exists(POLICY)) {
      // 101 = action forbidden: deb-systemd-invoke then starts no service.
      Files.writeString(POLICY, "#!/bin/sh\nexit 101\n");
      POLICY.toFile().setExecutable(true, false);
      ownPolicy = true;
    }
    dpkg("-i", TestFiles.deb().toString());
    installed = true;
  }

  /** Runs dpkg, waiting (bounded) while another dpkg or apt holds the lock. */
  private static void dpkg(String... args) {
    List<String> command = new ArrayList<>(List.of("dpkg"));
    command.addAll(List.of(args));
    await("dpkg " + String.join(" ", args)).atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> {
          Command.Result r = Command.run(Duration.ofMinutes(3), NONINTERACTIVE, command);
          if (r.exit() != 0 && r.err().contains("lock")) {
            return false;
          }
          r.assertSuccess();
          return true;
        });
  }

  private static String packageStatus() {
    Command.Result r = Command.run("dpkg-query", "-W", "-f=${Status}", "floe");
    return r.exit() == 0 ? r.out().strip() : "not known";
  }

  @AfterAll
  static void purge() throws IOException {
    try {
      if (installed) {
        dpkg("--purge", "floe");
        assertThat(packageStatus()).isIn("not known", "unknown ok not-installed");
        for (String gone : List.of("/usr/bin/floe", "/usr/share/floe", "/etc/floe",
            "/etc/default/floe", "/lib/systemd/system/floe.service",
            "/etc/systemd/system/multi-user.target.wants/floe.service",
            "/var/lib/systemd/deb-systemd-helper-enabled/floe.service.dsh-also",
            "/var/lib/systemd/deb-systemd-helper-masked/floe.service")) {
          assertThat(Path.of(gone)).as("left after purge").doesNotExist();
        }
      }
    } finally {
      if (ownPolicy) {
        Files.deleteIfExists(POLICY);
      }
      if (!userExisted && Command.run("getent", "passwd", "floe").exit() == 0) {
        Command.run("deluser", "--system", "--quiet", "floe").assertSuccess();
      }
      if (!userExisted && Command.run("getent", "group", "floe").exit() == 0) {
        Command.run("delgroup", "--system", "--quiet", "floe").assertSuccess();
      }
    }
  }

  @Test
  void packageIsInstalledWithItsConffilesRegistered() {
    assertThat(packageStatus()).isEqualTo("install ok installed");
    String conffiles = Command.run("dpkg-query", "-W", "-f=${Conffiles}", "floe")
        .assertSuccess().out();
    assertThat(conffiles).contains(" /etc/floe/floe.conf ").contains(" /etc/default/floe ");
  }

  @Test
  void installedFloeCheckAcceptsTheShippedConfig() {
    Command.Result r = Command.run("/usr/bin/floe", "check", "--config", "/etc/floe/floe.conf")
        .assertSuccess();
    assertThat(r.out()).startsWith("OK: ");
  }

  @Test
  void installedFloeCheckRejectsABadConfig() throws IOException {
    Path dir = TestFiles.worldReadableDir("floe-bad-conf");
    try {
      Path conf = Files.writeString(dir.resolve("bad.conf"), "floe { server { port = -3 } }\n");
      Command.Result r = Command.run("/usr/bin/floe", "check", "--config", conf.toString());
      assertThat(r.exit()).as("stderr: %s", r.err()).isEqualTo(2);
      assertThat(r.err()).contains("port");
    } finally {
      TestFiles.deleteTree(dir);
    }
  }

  @Test
  void installedFloePrintsItsVersion() {
    assertThat(Command.run("/usr/bin/floe", "--version").assertSuccess().out().strip())
        .isEqualTo("floe " + TestFiles.version());
  }

  @Test
  void systemdAnalyzeVerifiesTheInstalledUnitWithoutAWord() {
    Command.Result r = Command.run("systemd-analyze", "verify", "/lib/systemd/system/floe.service")
        .assertSuccess();
    // Unknown or misspelt directives are only warnings (exit 0): the output must be empty.
    assertThat(r.out() + r.err()).isEmpty();
  }

  @Test
  void createsTheFloeSystemUserAndEnablesTheService() throws IOException {
    String[] passwd = Command.run("getent", "passwd", "floe").assertSuccess().out().strip()
        .split(":");
    assertThat(Integer.parseInt(passwd[2])).as("a system uid").isLessThan(1000);
    assertThat(passwd[5]).isEqualTo("/nonexistent");
    assertThat(passwd[6]).isEqualTo("/usr/sbin/nologin");
    assertThat(Command.run("getent", "group", "floe").exit()).isZero();
    Path wants = Path.of("/etc/systemd/system/multi-user.target.wants/floe.service");
    assertThat(wants).isSymbolicLink();
    assertThat(Files.isSameFile(wants, Path.of("/lib/systemd/system/floe.service"))).isTrue();
  }

  /**
   * Runs the installed launcher as the floe user, with the flags of /etc/default/floe, on a
   * free loopback port, and asks it for its status: the package really runs, unprivileged.
   */
  @Test
  void installedFloeServesAsTheFloeUser() throws Exception {
    Path dir = TestFiles.worldReadableDir("floe-run");
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path conf = Files.writeString(dir.resolve("floe.conf"),
        "floe { server { bind = \"127.0.0.1\", port = " + port + " }, mounts = [] }\n");
    conf.toFile().setReadable(true, false);
    Path log = dir.resolve("floe.log");
    Process p = new ProcessBuilder("runuser", "-u", "floe", "--",
        "/usr/bin/floe", "run", "--config", conf.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      HttpRequest status = HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/status-json.xsl"))
          .timeout(Duration.ofSeconds(5)).build();
      await("floe answers on port " + port).atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptionsInstanceOf(IOException.class)
          .until(() -> {
            assertThat(p.isAlive()).as("floe exited: %s", Files.readString(log)).isTrue();
            return http.send(status, HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
          });
      String user = ProcessHandle.of(p.pid()).flatMap(h -> h.descendants()
              .filter(d -> d.info().command().orElse("").endsWith("/java")).findFirst())
          .flatMap(h -> h.info().user()).orElse("?");
      assertThat(user).isEqualTo("floe");
    } finally {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
      TestFiles.deleteTree(dir);
    }
  }
}
