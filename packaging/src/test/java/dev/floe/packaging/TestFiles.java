package dev.floe.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The built files under test, from the system properties {@code packaging/pom.xml} sets, and
 * scratch directories. A property that is missing (the test was not started by Maven) or
 * names a missing file fails the test.
 */
final class TestFiles {
  private TestFiles() {}

  /** The value of a system property set by the pom. */
  static String property(String name) {
    String value = System.getProperty(name);
    assertThat(value).as("system property %s (set by packaging/pom.xml)", name).isNotBlank();
    return value;
  }

  /** A file named by a system property, which must exist. */
  static Path existing(String property) {
    Path p = Path.of(property(property));
    assertThat(p).as("%s = %s", property, p).isRegularFile();
    return p;
  }

  /** The .deb built by {@code mvn package}. */
  static Path deb() {
    return existing("floe.deb");
  }

  /** The .tar.gz built by {@code mvn package}. */
  static Path tarball() {
    return existing("floe.tarball");
  }

  /** The Maven project version, which {@code floe --version} prints. */
  static String version() {
    return property("floe.version");
  }

  /** The Debian package version (the project version with -SNAPSHOT as a timestamp). */
  static String debVersion() {
    return property("floe.deb.version");
  }

  /** {@code target/test-tmp}, created on first use. */
  static Path tmp() {
    Path p = Path.of(property("floe.tmp"));
    try {
      Files.createDirectories(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  /**
   * A new directory that every user may read and enter (mode 755), so that a process
   * started as the {@code floe} user can read a config written there.
   */
  static Path worldReadableDir(String prefix) {
    try {
      return Files.createTempDirectory(prefix,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes a directory tree; quiet when it is already gone. */
  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
