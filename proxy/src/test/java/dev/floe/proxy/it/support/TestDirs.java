package dev.floe.proxy.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Work directories for the interop fixtures under the {@code floe.tmp} system property
 * (surefire sets it to {@code proxy/target/it-tmp}), else under {@code java.io.tmpdir}. They
 * are kept after the run so the icecast2 and ffmpeg logs can be read after a failure.
 */
public final class TestDirs {

  private TestDirs() {
  }

  /**
   * Creates a fresh directory {@code <floe.tmp>/<prefix>-<random>}.
   *
   * @param prefix a readable name, e.g. the test class
   * @return the new directory
   */
  public static Path create(String prefix) {
    Path root = Path.of(System.getProperty("floe.tmp", System.getProperty("java.io.tmpdir")));
    try {
      Files.createDirectories(root);
      Path dir = Files.createTempDirectory(root.toAbsolutePath(), prefix + "-");
      // createTempDirectory makes it rwx------; icecast2 drops root and must reach it.
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a work dir under " + root, e);
    }
  }

  /** Writes an executable {@code /bin/sh} script {@code name} in {@code dir} running {@code body}. */
  public static Path script(Path dir, String name, String body) {
    Path p = dir.resolve(name);
    try {
      Files.writeString(p, "#!/bin/sh\n" + body + "\n");
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }
}
