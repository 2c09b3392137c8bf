package dev.floe.packaging;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses a {@code tar -tv} style listing ({@code dpkg-deb --contents}, {@code tar -tzvf}):
 * {@code -rw-r--r-- root/root 5035822 2026-11-22 03:37 ./usr/share/floe/floe.jar}.
 */
final class ArchiveListing {
  /** One entry: its permission string ({@code -rwxr-xr-x}) and owner ({@code root/root}). */
  record Entry(String mode, String owner) {}

  private ArchiveListing() {}

  /** Entries by path, in listing order, with a leading {@code ./} removed. */
  static Map<String, Entry> parse(String listing) {
    Map<String, Entry> entries = new LinkedHashMap<>();
    for (String line : listing.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.trim().split("\\s+", 6);
      if (f.length < 6) {
        throw new AssertionError("unexpected listing line: " + line);
      }
      String path = f[5];
      int arrow = path.indexOf(" -> ");
      if (arrow >= 0) {
        path = path.substring(0, arrow);
      }
      if (path.startsWith("./")) {
        path = path.substring(1);
      }
      entries.put(path, new Entry(f[0], f[1]));
    }
    return entries;
  }
}
