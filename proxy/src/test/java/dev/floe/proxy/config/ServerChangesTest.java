package dev.floe.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A reload applies each changed {@code floe.server} key or names it as needing a restart. */
class ServerChangesTest {

  private static ServerSettings server(String hocon) {
    try {
      return ConfigLoader.fromConfig(ConfigFactory.parseString("floe { server { " + hocon
          + " } }")).server();
    } catch (InvalidConfigException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  @Test
  void everyServerSettingHasARow() {
    Set<String> components = new TreeSet<>();
    leaves(ServerSettings.class, "", components);
    Set<String> rows = ServerChanges.ROWS.stream().map(ServerChanges.Row::component)
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(rows).isEqualTo(components);
  }

  /** Record components, descending into the nested settings records of this package. */
  private static void leaves(Class<?> type, String prefix, Set<String> out) {
    for (RecordComponent c : type.getRecordComponents()) {
      Class<?> t = c.getType();
      boolean nested = t.isRecord() && t.getPackage().equals(ServerSettings.class.getPackage());
      if (nested) {
        leaves(t, prefix + c.getName() + ".", out);
      } else {
        out.add(prefix + c.getName());
      }
    }
  }

  @Test
  void nothingChangedSaysNothing() {
    assertThat(ServerChanges.between(server(""), server(""))).isEmpty();
  }

  @Test
  void hostnameAndPasswordsAreAppliedAndNamed() {
    List<String> lines = ServerChanges.between(server(""),
        server("hostname = \"radio.example\", admin-password = \"s3cret!\""));
    assertThat(lines.get(0))
        .isEqualTo("server.hostname, server.admin-password applied to new connections");
    assertThat(String.join("\n", lines)).doesNotContain("s3cret!");
  }

  @Test
  void aListenPortNeedsARestartAndTheLineNamesTheKeyAndWhatIsKept() {
    List<String> lines = ServerChanges.between(server("port = 8000"), server("port = 8010"));
    assertThat(lines).containsExactly("server.port needs a restart (kept 8000)");
    assertThat(ServerChanges.needsRestart(lines.get(0))).isTrue();
  }
}
