package dev.floe.proxy.it.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.proxy.it.support.FloeProcess;
import dev.floe.proxy.it.support.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Icecast's own admin API test ({@code tests/admin.test}, 58 checks) through {@code
 * scripts/icecast-admin-conformance}: icecast2 2.4.4 and Floe ({@code floe run --config
 * icecast.xml} on the test's own file), each with only the start line, the port and the base
 * URL changed. Floe must pass at least as many checks as icecast2. The test is read from {@code
 * ../shared/conformance/icecast-admin/} beside the checkout (never copied into it); without it
 * this test fails and says where it looked.
 */
class IcecastAdminConformanceTest {
  private static final Pattern SCORE = Pattern.compile("(?m)^score (\\S+) (\\d+)/(\\d+)");

  @Test
  void floePassesAtLeastAsManyChecksAsIcecast2() throws Exception {
    Path root = Path.of("").toAbsolutePath().getParent(); // surefire runs in proxy/
    Path script = root.resolve("scripts/icecast-admin-conformance");
    Path shared = root.resolveSibling("shared").resolve("conformance/icecast-admin");
    assertThat(shared.resolve("admin.test"))
        .as("Icecast's admin test must be in %s (../shared/ beside the checkout)", shared)
        .isRegularFile();
    Tools.icecast2();
    Tools.ffmpeg();
    Tools.require("curl", "curl");
    Tools.require("python3", "python3");

    Path out = Files.createTempFile("icecast-admin-conformance", ".log");
    ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), "icecast2", "floe")
        .redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().put("ICECAST_ADMIN_DIR", shared.toString());
    pb.environment().put("FLOE_CMD", Path.of(System.getProperty("java.home"), "bin", "java")
        + " -Xmx128m dev.floe.proxy.Main");
    pb.environment().put("CLASSPATH", FloeProcess.childClasspath());
    Process p = pb.start();
    try {
      assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("the script finishes in 5 minutes").isTrue();
    } finally {
      p.destroyForcibly();
    }
    String log = Files.readString(out, StandardCharsets.UTF_8);
    Files.deleteIfExists(out);
    int icecast = score(log, "icecast2");
    int floe = score(log, "floe");
    assertThat(p.exitValue()).as(log).isZero();
    assertThat(icecast).as("icecast2 2.4.4 passes 53 of 58 here:\n%s", log).isGreaterThan(40);
    assertThat(floe).as("Floe's score against icecast2's (%d):\n%s", icecast, log)
        .isGreaterThanOrEqualTo(icecast);
  }

  private static int score(String log, String server) throws IOException {
    Matcher m = SCORE.matcher(log);
    while (m.find()) {
      if (m.group(1).equals(server)) {
        assertThat(Integer.parseInt(m.group(3))).as("checks run for %s:\n%s", server, log)
            .isEqualTo(58);
        return Integer.parseInt(m.group(2));
      }
    }
    throw new AssertionError("no score for " + server + ":\n" + log);
  }
}
