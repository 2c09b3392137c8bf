package dev.floe.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.typesafe.config.ConfigFactory;
import dev.floe.proxy.config.InvalidConfigException.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {
  private static final Path SAMPLE = Path.of("../docs/floe.conf");
  private static final Path REFERENCE_DOC = Path.of("../docs/configuration.md");

  @TempDir Path dir;

  private Path write(String content) throws IOException {
    return Files.writeString(dir.resolve("floe.conf"), content);
  }

  private static InvalidConfigException loadFailure(Path file) {
    return catchThrowableOfType(InvalidConfigException.class, () -> ConfigLoader.load(file));
  }

  @Test
  void shouldLoadFileOverDefaults() throws Exception {
    Path file = write("""
        # comment
        floe {
          server.port = 9000
          mounts = [{ path = "/live", upstream = "http://origin:8000/live" }]
        }
        """);

    FloeConfig config = ConfigLoader.load(file);

    assertThat(config.server().port()).isEqualTo(9000);
    assertThat(config.server().hostname()).isEqualTo("localhost");
    assertThat(config.mounts()).extracting(MountSettings::path).containsExactly("/live");
  }

  @Test
  void shouldReportMissingFileAsFileProblem() {
    Path missing = dir.resolve("nope.conf");

    InvalidConfigException e = loadFailure(missing);

    assertThat(e.problems()).containsExactly(new Problem("(file)", "file not found"));
    assertThat(e.getMessage()).isEqualTo(missing + ": (file): file not found");
  }

  @Test
  void shouldReportDirectoryAsFileProblem() {
    assertThat(loadFailure(dir).problems())
        .containsExactly(new Problem("(file)", "not a regular file"));
  }

  @Test
  void shouldReportSyntaxErrorAsFileProblem() throws Exception {
    Path file = write("floe {\n  server { port = 8000\n");

    InvalidConfigException e = loadFailure(file);

    assertThat(e.problems()).singleElement().satisfies(p -> {
      assertThat(p.key()).isEqualTo("(file)");
      assertThat(p.reason()).contains("floe.conf");
    });
    assertThat(e.source()).isEqualTo(file.toString());
  }

  @Test
  void shouldReportUnresolvedSubstitutionAsFileProblem() throws Exception {
    Path file = write("floe.server.hostname = ${FLOE_TEST_SURELY_UNSET_VARIABLE}");

    assertThat(loadFailure(file).problems()).singleElement()
        .satisfies(p -> assertThat(p.key()).isEqualTo("(file)"));
  }

  @Test
  void shouldKeepDefaultWhenOptionalSubstitutionIsUnset() throws Exception {
    Path file = write("floe.server.port = ${?FLOE_TEST_SURELY_UNSET_VARIABLE}");

    assertThat(ConfigLoader.load(file).server().port()).isEqualTo(8000);
  }

  @Test
  void shouldReportKeysOutsideTheFloeRoot() throws Exception {
    Path file = write("server { port = 9000 }\nlogging = 1\n");

    assertThat(loadFailure(file).problems()).containsExactly(
        new Problem("logging", "unknown key"),
        new Problem("server",
            "unknown key outside the floe { } root: settings must be inside floe { }"));
  }

  @Test
  void shouldRejectVersionSetInFile() throws Exception {
    Path file = write("floe.version = \"9\"");

    assertThat(loadFailure(file).problems()).extracting(Problem::key).containsExactly("version");
  }

  @Test
  void shouldPrefixEveryProblemWithTheFileName() throws Exception {
    Path file = write("floe.server { port = x, burst-size = 1 }");

    assertThat(loadFailure(file).getMessage().lines()).containsExactly(
        file + ": server.burst-size: unknown key in server: it is a mount setting, put it in"
            + " mount-defaults { } or a mount",
        file + ": server.port: expected a number, got \"x\"");
  }

  @Test
  void shouldLoadTheSampleConfigWithoutProblems() throws Exception {
    FloeConfig config = ConfigLoader.load(SAMPLE);

    assertThat(config.mounts()).hasSize(2);
    assertThat(config.mounts()).allSatisfy(m -> assertThat(m.upstreams()).isNotEmpty());
  }

  @Test
  void shouldDocumentEveryKeyInTheSampleAndReference() throws Exception {
    String sample = Files.readString(SAMPLE);
    String reference = Files.readString(REFERENCE_DOC);
    List<String> keys = new ArrayList<>(Keys.SERVER);
    keys.addAll(Keys.LIMITS);
    keys.addAll(Keys.MOUNT_DEFAULTS);
    keys.addAll(Keys.MOUNT_ONLY);

    assertThat(keys).allSatisfy(key -> {
      assertThat(sample).as("docs/floe.conf").containsPattern("(?m)^\\s*#?\\s*" + key + " ");
      assertThat(reference).as("docs/configuration.md").contains("`" + key + "`");
    });
  }

  @Test
  void shouldShipDefaultsInTheSampleThatMatchReferenceConf() throws Exception {
    // The sample sets server and mount-defaults keys to their defaults: copying it changes nothing.
    var oneMount = ConfigFactory.parseString("floe.mounts = [" + Fixtures.MOUNT + "]");
    var sample = ConfigFactory.parseFile(SAMPLE.toFile()).withoutPath("floe.mounts");
    FloeConfig fromSample = ConfigLoader.fromConfig(sample.withFallback(oneMount));
    FloeConfig defaults = ConfigLoader.fromConfig(oneMount);

    assertThat(fromSample).isEqualTo(defaults);
  }
}
