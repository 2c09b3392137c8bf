package dev.floe.proxy.playlist;

import java.time.Instant;
import java.util.Objects;

/**
 * One playlist item as the list names it.
 *
 * @param location an absolute file path or an {@code http(s)://} URL
 * @param title the title the list gives (M3U {@code #EXTINF}, PLS {@code TitleN}, RSS {@code
 *     title}), or null; the file's own tags win over it
 * @param start when the item is scheduled to start (RSS {@code dc:date}), or null: it follows
 *     the previous item
 */
public record Entry(String location, String title, Instant start) {
  /** Checks the location. */
  public Entry {
    Objects.requireNonNull(location, "location");
  }

  /** Whether the location is an {@code http(s)} URL rather than a file. */
  public boolean remote() {
    String l = location.toLowerCase(java.util.Locale.ROOT);
    return l.startsWith("http://") || l.startsWith("https://");
  }
}
