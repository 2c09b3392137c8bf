package dev.floe.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The .deb as built, without installing it: control fields ({@code dpkg-deb --field}), the
 * file list with modes and owners ({@code dpkg-deb --contents}), conffiles and maintainer
 * scripts, the payload against its sources ({@code dpkg-deb -x}), and {@code lintian}.
 */
class DebPackageTest {
  private static Path extracted;

  @BeforeAll
  static void extract() {
    extracted = TestFiles.worldReadableDir("floe-deb-x");
    Command.run("dpkg-deb", "-x", TestFiles.deb().toString(), extracted.toString())
        .assertSuccess();
  }

  @AfterAll
  static void cleanUp() {
    TestFiles.deleteTree(extracted);
  }

  private static String field(String name) {
    return Command.run("dpkg-deb", "--field", TestFiles.deb().toString(), name)
        .assertSuccess().out().strip();
  }

  @Test
  void controlFieldsNameTheJreAndTheVersion() {
    assertThat(field("Package")).isEqualTo("floe");
    assertThat(field("Version")).isEqualTo(TestFiles.debVersion());
    assertThat(field("Architecture")).isEqualTo("all");
    assertThat(field("Section")).isEqualTo("net");
    assertThat(field("Depends"))
        .isEqualTo("default-jre-headless (>= 2:1.17) | java17-runtime-headless, adduser");
    assertThat(field("Maintainer")).matches(".+ <[^@ ]+@[^@ ]+>");
    assertThat(field("Description")).startsWith("Icecast-compatible internet radio relay\n");
    assertThat(Integer.parseInt(field("Installed-Size"))).isGreaterThan(1000);
  }

  @Test
  void snapshotVersionsSortBeforeTheRelease() {
    String version = TestFiles.version();
    String deb = TestFiles.debVersion();
    if (version.endsWith("-SNAPSHOT")) {
      String release = version.substring(0, version.length() - "-SNAPSHOT".length());
      assertThat(deb).matches(java.util.regex.Pattern.quote(release) + "~\\d{14}");
      Command.run("dpkg", "--compare-versions", deb, "lt", release).assertSuccess();
    } else {
      assertThat(deb).isEqualTo(version.replace('-', '~'));
    }
    assertThat(TestFiles.deb().getFileName().toString()).isEqualTo("floe_" + deb + "_all.deb");
  }

  @Test
  void installsExactlyTheExpectedFilesWithTheirModes() {
    String listing = Command.run("dpkg-deb", "--contents", TestFiles.deb().toString())
        .assertSuccess().out();
    Map<String, ArchiveListing.Entry> entries = ArchiveListing.parse(listing);
    Map<String, String> files = Map.of(
        "/usr/share/floe/floe.jar", "-rw-r--r--",
        "/usr/bin/floe", "-rwxr-xr-x",
        "/etc/floe/floe.conf", "-rw-r--r--",
        "/etc/default/floe", "-rw-r--r--",
        "/lib/systemd/system/floe.service", "-rw-r--r--",
        "/usr/share/doc/floe/copyright", "-rw-r--r--",
        "/usr/share/doc/floe/changelog.gz", "-rw-r--r--",
        "/usr/share/man/man1/floe.1.gz", "-rw-r--r--");
    files.forEach((path, mode) -> {
      assertThat(entries).as("listing:%n%s", listing).containsKey(path);
      assertThat(entries.get(path).mode()).as(path).isEqualTo(mode);
    });
    entries.forEach((path, entry) -> {
      assertThat(entry.owner()).as(path).isEqualTo("root/root");
      if (!files.containsKey(path)) {
        assertThat(entry.mode()).as("only the expected files, and directories: %s", path)
            .isEqualTo("drwxr-xr-x");
      }
    });
  }

  @Test
  void declaresTheTwoConfigFilesAsConffiles() {
    String conffiles = Command.run("dpkg-deb", "--info", TestFiles.deb().toString(), "conffiles")
        .assertSuccess().out();
    assertThat(conffiles.lines().toList())
        .containsExactlyInAnyOrder("/etc/floe/floe.conf", "/etc/default/floe");
  }

  @Test
  void hasExecutableMaintainerScriptsThatCreateTheUserAndHandlePurge() {
    String info = Command.run("dpkg-deb", "--info", TestFiles.deb().toString())
        .assertSuccess().out();
    for (String script : List.of("postinst", "prerm", "postrm")) {
      assertThat(info).as(info).containsPattern("\\d+ lines\\s+\\*\\s+" + script + "\\s+#!/bin/sh");
    }
    String postinst = controlFile("postinst");
    assertThat(postinst).contains("adduser --system --group").contains(" floe\n")
        .contains("deb-systemd-helper enable 'floe.service'");
    String postrm = controlFile("postrm");
    assertThat(postrm).contains("\"$1\" = purge").contains("deb-systemd-helper purge 'floe.service'")
        .contains("rmdir --ignore-fail-on-non-empty /etc/floe");
  }

  private static String controlFile(String name) {
    return Command.run("dpkg-deb", "--info", TestFiles.deb().toString(), name)
        .assertSuccess().out();
  }

  @Test
  void payloadIsTheShadedJarTheUnitAndTheShippedConfig() throws IOException {
    assertThat(Files.mismatch(extracted.resolve("usr/share/floe/floe.jar"),
        TestFiles.existing("floe.jar"))).isEqualTo(-1L);
    assertThat(Files.mismatch(extracted.resolve("lib/systemd/system/floe.service"),
        TestFiles.existing("floe.unit"))).isEqualTo(-1L);
    assertThat(Files.mismatch(extracted.resolve("etc/floe/floe.conf"),
        TestFiles.existing("floe.conf"))).isEqualTo(-1L);
  }

  @Test
  void launcherReadsEtcDefaultAndRunsTheInstalledJar() throws IOException {
    String launcher = Files.readString(extracted.resolve("usr/bin/floe"));
    assertThat(launcher).startsWith("#!/bin/sh\n")
        .contains(". /etc/default/floe")
        .contains("-jar /usr/share/floe/floe.jar \"$@\"");
    String defaults = Files.readString(extracted.resolve("etc/default/floe"));
    String opts = defaults.lines().filter(l -> l.startsWith("FLOE_JAVA_OPTS=")).findFirst()
        .orElseThrow(() -> new AssertionError("no FLOE_JAVA_OPTS= in /etc/default/floe"));
    List<String> flags = Arrays.asList(opts.replaceAll("^FLOE_JAVA_OPTS=\"|\"$", "").split(" "));
    assertThat(flags).contains("-Xms16m", "-Xmx64m", "-XX:+UseSerialGC",
        "-XX:MaxDirectMemorySize=64m", "-XX:TieredStopAtLevel=1",
        "-XX:+ExitOnOutOfMemoryError");
    // The launcher's built-in fallback is the same set of flags.
    assertThat(launcher).contains("FLOE_JAVA_OPTS-\"" + String.join(" ", flags) + "\"");
  }

  @Test
  void changelogNamesThePackageVersion() throws IOException {
    Path gz = extracted.resolve("usr/share/doc/floe/changelog.gz");
    String text;
    try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(gz))) {
      text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    assertThat(text).startsWith("floe (" + TestFiles.debVersion() + ") unstable; urgency=medium\n");
    assertThat(text.lines().filter(l -> l.startsWith(" -- ")).findFirst().orElseThrow())
        .matches(" -- .+ <.+>  \\w{3}, \\d{2} \\w{3} \\d{4} \\d{2}:\\d{2}:\\d{2} [+-]\\d{4}");
  }

  @Test
  void lintianReportsNoErrors() {
    Command.Result r = Command.run(java.time.Duration.ofMinutes(5), Map.of(),
        List.of("lintian", "--fail-on", "error", TestFiles.deb().toString()));
    assertThat(r.out().lines().filter(l -> l.startsWith("E: ")).toList())
        .as("lintian:%n%s%n%s", r.out(), r.err()).isEmpty();
    r.assertSuccess();
  }
}
