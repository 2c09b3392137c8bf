package dev.floe.proxy.it.support;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds the external programs the interop tests need, or fails the test naming the package. */
public final class Tools {

  private static final List<String> FALLBACK_DIRS = List.of("/usr/local/bin", "/usr/bin", "/bin",
      "/usr/sbin", "/sbin");

  private Tools() {
  }

  /**
   * Resolves {@code command} on {@code PATH} (then in the usual bin directories).
   *
   * @param command the program name, e.g. {@code icecast2}
   * @param debianPackage the Debian package that ships it, e.g. {@code icecast2}
   * @return the absolute path of the executable
   * @throws AssertionError when it is not installed: the test fails, it is never skipped
   */
  public static Path require(String command, String debianPackage) {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        if (!dir.isEmpty()) {
          dirs.add(dir);
        }
      }
    }
    dirs.addAll(FALLBACK_DIRS);
    for (String dir : dirs) {
      Path candidate = Path.of(dir, command);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate.toAbsolutePath();
      }
    }
    throw new AssertionError(command + " not found: install the Debian package " + debianPackage
        + " (the README's test command does)");
  }

  /** {@code icecast2} from the Debian package {@code icecast2}. */
  public static Path icecast2() {
    return require("icecast2", "icecast2");
  }

  /** {@code ffmpeg} from the Debian package {@code ffmpeg}. */
  public static Path ffmpeg() {
    return require("ffmpeg", "ffmpeg");
  }

  /** {@code ffprobe} from the Debian package {@code ffmpeg}. */
  public static Path ffprobe() {
    return require("ffprobe", "ffmpeg");
  }
}
