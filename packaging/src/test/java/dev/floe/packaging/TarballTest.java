package dev.floe.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The plain {@code floe-VERSION.tar.gz}: its entries and modes ({@code tar -tzvf}), and the
 * unpacked {@code bin/floe} run directly and through a symlink from elsewhere.
 */
class TarballTest {
  private static Path unpacked;
  private static Path home;

  @BeforeAll
  static void unpack() {
    unpacked = TestFiles.worldReadableDir("floe-tar-x");
    Command.run("tar", "-xzf", TestFiles.tarball().toString(), "-C", unpacked.toString())
        .assertSuccess();
    home = unpacked.resolve("floe-" + TestFiles.version());
  }

  @AfterAll
  static void cleanUp() {
    TestFiles.deleteTree(unpacked);
  }

  @Test
  void holdsTheLauncherTheJarTheConfigAndTheReadme() {
    String listing = Command.run("tar", "-tzvf", TestFiles.tarball().toString())
        .assertSuccess().out();
    Map<String, ArchiveListing.Entry> entries = ArchiveListing.parse(listing);
    String base = "floe-" + TestFiles.version() + "/";
    Map<String, String> files = Map.of(
        base + "bin/floe", "-rwxr-xr-x",
        base + "lib/floe.jar", "-rw-r--r--",
        base + "conf/floe.conf", "-rw-r--r--",
        base + "README.md", "-rw-r--r--");
    assertThat(entries.keySet().stream().filter(p -> !p.endsWith("/")).toList())
        .as(listing).containsExactlyInAnyOrderElementsOf(files.keySet());
    files.forEach((path, mode) -> assertThat(entries.get(path).mode()).as(path).isEqualTo(mode));
  }

  @Test
  void payloadIsTheShadedJarAndTheShippedConfig() throws IOException {
    assertThat(Files.mismatch(home.resolve("lib/floe.jar"), TestFiles.existing("floe.jar")))
        .isEqualTo(-1L);
    assertThat(Files.mismatch(home.resolve("conf/floe.conf"), TestFiles.existing("floe.conf")))
        .isEqualTo(-1L);
  }

  @Test
  void binFloePrintsTheVersion() {
    assertThat(Command.run(home.resolve("bin/floe").toString(), "--version").assertSuccess()
        .out().strip()).isEqualTo("floe " + TestFiles.version());
  }

  @Test
  void binFloeChecksTheBundledConfig() {
    Command.Result r = Command.run(home.resolve("bin/floe").toString(), "check", "--config",
        home.resolve("conf/floe.conf").toString()).assertSuccess();
    assertThat(r.out()).startsWith("OK: ");
  }

  @Test
  void binFloeFindsItsJarThroughASymlink() throws IOException {
    Path elsewhere = Files.createDirectories(unpacked.resolve("elsewhere/bin"));
    Path link = Files.createSymbolicLink(elsewhere.resolve("floe"), home.resolve("bin/floe"));
    assertThat(Command.run(link.toString(), "--version").assertSuccess().out().strip())
        .isEqualTo("floe " + TestFiles.version());
  }

  @Test
  void floeJavaOptsReplacesTheDefaultFlags() {
    // An invalid flag makes the JVM refuse to start: proof that FLOE_JAVA_OPTS reaches it.
    Command.Result r = Command.run(Duration.ofMinutes(1),
        Map.of("FLOE_JAVA_OPTS", "-XX:+FloeNoSuchFlag"),
        List.of(home.resolve("bin/floe").toString(), "--version"));
    assertThat(r.exit()).isNotZero();
    assertThat(r.err()).contains("FloeNoSuchFlag");
  }
}
