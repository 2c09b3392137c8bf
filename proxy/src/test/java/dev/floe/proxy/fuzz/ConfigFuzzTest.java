package dev.floe.proxy.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import dev.floe.proxy.config.ConfigLoader;
import dev.floe.proxy.config.FloeConfig;
import dev.floe.proxy.config.InvalidConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A hostile HOCON text through {@link ConfigLoader#fromConfig}: it returns a config or throws
 * {@link InvalidConfigException} naming at least one problem, never anything else. (A text that
 * is not HOCON at all makes the library's {@code parseString} throw {@link ConfigException}:
 * that is the library's answer, and such inputs stop there.)
 */
class ConfigFuzzTest {

  @FuzzTest(maxDuration = "5s")
  void fromConfig(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    Config parsed;
    try {
      parsed = ConfigFactory.parseString(text);
    } catch (ConfigException notHocon) {
      return;
    }
    try {
      FloeConfig config = ConfigLoader.fromConfig(parsed);
      assertThat(config).isNotNull();
      assertThat(config.toString()).isNotNull();
    } catch (InvalidConfigException e) {
      assertThat(e.problems()).isNotEmpty();
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  /**
   * A hostile icecast.xml through {@link ConfigLoader#load(Path)}: a config or an {@link
   * InvalidConfigException} naming at least one problem (malformed XML, a DOCTYPE, a bad value),
   * never anything else.
   */
  @FuzzTest(maxDuration = "5s")
  void icecastXml(FuzzedDataProvider data) throws IOException {
    Path file = Files.createTempFile("fuzz-icecast", ".xml");
    try {
      Files.write(file, data.consumeRemainingAsBytes());
      try {
        FloeConfig config = ConfigLoader.load(file, line -> assertThat(line).isNotBlank());
        assertThat(config.toString()).isNotNull();
      } catch (InvalidConfigException e) {
        assertThat(e.problems()).isNotEmpty();
        assertThat(e.getMessage()).isNotBlank();
        // ConfigLoader's last guard turns a mapping bug into a problem; the fuzzer still finds it
        assertThat(e.getMessage()).doesNotContain("could not be mapped");
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
