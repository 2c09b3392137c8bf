package dev.floe.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The directives of {@code systemd/floe.service} that issue 6 asks for. Syntax and referenced
 * programs are checked by {@code systemd-analyze verify} in {@link DebInstallTest}; this test
 * pins the values, which systemd would accept in any form.
 */
class ServiceUnitTest {
  /** Values by "Section.Key"; a key given twice keeps every value in order. */
  private static final Map<String, List<String>> UNIT = new LinkedHashMap<>();

  @BeforeAll
  static void parse() throws IOException {
    String section = "";
    for (String raw : Files.readAllLines(TestFiles.existing("floe.unit"))) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (line.startsWith("[")) {
        section = line.substring(1, line.indexOf(']'));
        continue;
      }
      int eq = line.indexOf('=');
      assertThat(eq).as("a key=value line: %s", line).isPositive();
      UNIT.computeIfAbsent(section + "." + line.substring(0, eq), k -> new ArrayList<>())
          .add(line.substring(eq + 1));
    }
  }

  private static String value(String key) {
    assertThat(UNIT).containsKey(key);
    assertThat(UNIT.get(key)).as(key + " is set once").hasSize(1);
    return UNIT.get(key).get(0);
  }

  @Test
  void runsTheInstalledLauncherWithTheEtcConfigAsTheFloeUser() {
    assertThat(value("Service.ExecStart"))
        .isEqualTo("/usr/bin/floe run --config /etc/floe/floe.conf");
    assertThat(value("Service.User")).isEqualTo("floe");
    assertThat(value("Service.Group")).isEqualTo("floe");
    assertThat(value("Install.WantedBy")).isEqualTo("multi-user.target");
  }

  @Test
  void readinessRestartAndReloadAreAsDocumented() {
    assertThat(value("Service.Type")).isEqualTo("simple");
    assertThat(value("Service.Restart")).isEqualTo("on-failure");
    assertThat(value("Service.RestartPreventExitStatus")).isEqualTo("2");
    assertThat(value("Service.ExecReload")).isEqualTo("/bin/kill -HUP $MAINPID");
    assertThat(value("Service.SuccessExitStatus")).isEqualTo("143");
  }

  @Test
  void isHardenedWithNoCapabilities() {
    assertThat(value("Service.CapabilityBoundingSet")).isEmpty();
    assertThat(value("Service.AmbientCapabilities")).isEmpty();
    for (String yes : List.of("NoNewPrivileges", "ProtectHome", "PrivateTmp", "PrivateDevices",
        "ProtectKernelTunables", "ProtectKernelModules", "ProtectControlGroups",
        "RestrictNamespaces", "RestrictSUIDSGID", "LockPersonality")) {
      assertThat(value("Service." + yes)).as(yes).isEqualTo("yes");
    }
    assertThat(value("Service.ProtectSystem")).isEqualTo("strict");
    // The JIT needs writable and executable memory.
    assertThat(UNIT).doesNotContainKey("Service.MemoryDenyWriteExecute");
  }

  @Test
  void limitsMemoryAndRaisesTheFileLimitAndLogsToTheJournal() {
    assertThat(value("Service.MemoryMax")).isEqualTo("192M");
    assertThat(value("Service.LimitNOFILE")).isEqualTo("65536");
    assertThat(value("Service.StandardOutput")).isEqualTo("journal");
    assertThat(value("Service.StandardError")).isEqualTo("journal");
  }
}
