package dev.floe.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.proxy.config.ConfigLoader;
import dev.floe.proxy.config.FloeConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int floe(String... args) {
    return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  private Path config(String content) throws IOException {
    return Files.writeString(dir.resolve("floe.conf"), content);
  }

  @Test
  void shouldListSubCommandsInHelp() {
    assertThat(floe("--help")).isZero();

    assertThat(out.toString())
        .contains("Usage: floe")
        .containsPattern("relay +\\S")
        .containsPattern("run +\\S")
        .containsPattern("check +\\S");
  }

  @Test
  void shouldPrintVersion() {
    assertThat(floe("--version")).isZero();

    assertThat(out.toString().strip()).isEqualTo("floe dev");
  }

  @Test
  void shouldPrintUsageWithHelp() {
    // floe without arguments starts the demo (it.playlist.DemoTest)
    assertThat(floe("--help")).isZero();

    assertThat(out.toString()).contains("Usage: floe");
  }

  @Test
  void shouldExit2OnUnknownOption() {
    assertThat(floe("check", "--config", "x.conf", "--bogus")).isEqualTo(2);

    assertThat(err.toString()).contains("--bogus");
  }

  @Test
  void shouldCountMountsWhenCheckPasses() throws Exception {
    Path file = config("floe.mounts = [{ path = /a, upstream = \"http://h/a\" },"
        + " { path = /b, upstream = \"http://h/b\" }]");

    assertThat(floe("check", "--config", file.toString())).isZero();

    assertThat(out.toString().strip()).isEqualTo("OK: 2 mount(s)");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void checkAgainstTheRunningFileSaysWhatAReloadAppliesAndWhatNeedsARestart() throws Exception {
    Path running = config("floe.server { port = 8000, hostname = old.example }\n"
        + "floe.mounts = [{ path = /a, upstream = \"http://h/a\" }]");
    Path edited = Files.writeString(dir.resolve("edited.conf"),
        "floe.server { port = 8010, hostname = new.example, admin-password = \"n3w\" }\n"
        + "floe.mounts = [{ path = /a, upstream = \"http://h/a\" }]");

    assertThat(floe("check", "-c", edited.toString(), "--against", running.toString())).isZero();

    assertThat(out.toString()).isEqualTo(
        "reload: server.hostname, server.admin-password applied to new connections\n"
        + "reload: server.port needs a restart (kept 8000)\n"
        + "OK: 1 mount(s)\n");
  }

  @Test
  void shouldCheckTheSampleConfig() {
    assertThat(floe("check", "-c", "../docs/floe.conf")).isZero();

    assertThat(out.toString().strip()).isEqualTo("OK: 2 mount(s)");
  }

  @Test
  void checksAnIcecastXmlNamingWhatItIgnoresAndEveryBadElement() throws Exception {
    Path xml = Files.writeString(dir.resolve("icecast.xml"),
        dev.floe.proxy.config.IcecastXmlTest.DEBIAN);
    assertThat(floe("check", "--config", xml.toString())).isZero();
    assertThat(out.toString()).contains("/icecast/paths/logdir ignored: ")
        .endsWith("OK: 0 mount(s)\n");
    assertThat(err.toString()).isEmpty(); // sources may create mounts: no warning

    Path bad = Files.writeString(dir.resolve("bad.xml"), "<icecast><listen-socket><port>x</port>"
        + "</listen-socket><mount><mount-name>/a.pls</mount-name></mount></icecast>");
    assertThat(floe("check", "--config", bad.toString())).isEqualTo(2);
    assertThat(err.toString())
        .contains(bad + ": /icecast/listen-socket[1]/port: expected a whole number, got \"x\"")
        .contains(bad + ": /icecast/mount[1]/mount-name: must not end in .m3u, .pls or .xspf");
  }

  @Test
  void shouldNameEveryBadKeyWhenCheckFails() throws Exception {
    Path file = config("""
        floe.server { prot = 8000, max-clients = many }
        floe.mounts = [{ path = "/a", upstream = "http://h/a", burst-szie = 1KiB }]
        """);

    assertThat(floe("check", "--config", file.toString())).isEqualTo(2);

    assertThat(out.toString()).isEmpty();
    assertThat(err.toString())
        .contains(file + ": server.prot: unknown key (did you mean \"port\"?)")
        .contains(file + ": server.max-clients: expected a number, got \"many\"")
        .contains(file + ": mounts[0].burst-szie: unknown key (did you mean \"burst-size\"?)")
        .doesNotContain("Exception");
  }

  @Test
  void shouldExit2WhenCheckFileIsMissing() {
    Path missing = dir.resolve("missing.conf");

    assertThat(floe("check", "--config", missing.toString())).isEqualTo(2);

    assertThat(err.toString()).contains(missing + ": (file): file not found");
  }

  @Test
  void shouldExit2WithProblemsWhenRunConfigIsInvalid() throws Exception {
    Path file = config("floe.mounts = [{ path = live, upstreams = [] }]");

    assertThat(floe("run", "--config", file.toString())).isEqualTo(2);

    assertThat(err.toString())
        .contains("mounts[0].path: must start with /")
        .contains("mounts[0].upstreams: must list at least one upstream URL")
        .doesNotContain("Exception");
  }

  @Test
  void shouldExit2WhenRelayUrlHasWrongScheme() {
    assertThat(floe("relay", "ftp://origin/live")).isEqualTo(2);

    assertThat(err.toString())
        .contains("(command line): upstream: must be an http:// or https:// URL, got scheme"
            + " \"ftp\"")
        .doesNotContain("Exception");
  }

  @Test
  void shouldExit2WhenRelayUrlIsNotAUrl() {
    assertThat(floe("relay", "http://exa mple/live")).isEqualTo(2);

    assertThat(err.toString()).contains("(command line): upstream: not a valid URL");
  }

  @Test
  void shouldExit2WhenRelayOptionsAreInvalid() {
    assertThat(floe("relay", "http://origin/live", "--port", "70000", "--mount", "x.m3u"))
        .isEqualTo(2);

    assertThat(err.toString())
        .contains("(command line): port: must be between 0 and 65535, got 70000")
        .contains("(command line): mount: must start with /");
  }

  @Test
  void shouldDescribeMountsAndHidePasswordsInListeningLine() throws Exception {
    FloeConfig config = ConfigLoader.forRelay(URI.create("http://dj:secret@origin:8000/live"),
        null, "127.0.0.1", null);

    assertThat(Main.listeningLine(config, 8123)).isEqualTo(
        "Floe dev listening on 127.0.0.1:8123, mounts: /live <- http://dj:***@origin:8000/live");
  }
}
