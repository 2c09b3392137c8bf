package dev.floe.bench.load;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A live HLS media playlist (RFC 8216) as a player reads it: the target duration, the media
 * sequence number of the first segment, and each segment's URI and {@code EXTINF} duration. Pure
 * and strict: anything a player could not use is an {@link IllegalArgumentException} naming the
 * line.
 *
 * @param targetSeconds {@code EXT-X-TARGETDURATION}
 * @param mediaSequence {@code EXT-X-MEDIA-SEQUENCE} (0 when absent), the first entry's number
 * @param entries the segments, oldest first
 * @param endList whether {@code EXT-X-ENDLIST} closes it (not live)
 */
record HlsPlaylist(int targetSeconds, long mediaSequence, List<Entry> entries, boolean endList) {

  /**
   * One segment.
   *
   * @param sequence its media sequence number
   * @param uri its URI as written (relative to the playlist, or absolute)
   * @param seconds its {@code EXTINF} duration
   */
  record Entry(long sequence, String uri, double seconds) {}

  /** The sequence number one past the newest segment. */
  long end() {
    return mediaSequence + entries.size();
  }

  /** The entry numbered {@code sequence}, or null when the playlist does not list it. */
  Entry entry(long sequence) {
    long i = sequence - mediaSequence;
    return i < 0 || i >= entries.size() ? null : entries.get((int) i);
  }

  /**
   * Parses {@code length} bytes of UTF-8 playlist text.
   *
   * @throws IllegalArgumentException when it is not a media playlist a player could follow
   */
  static HlsPlaylist parse(byte[] body, int length) {
    String text = new String(body, 0, length, StandardCharsets.UTF_8);
    String[] lines = text.split("\n", -1);
    if (lines.length == 0 || !strip(lines[0]).equals("#EXTM3U")) {
      throw new IllegalArgumentException("playlist does not start with #EXTM3U");
    }
    int target = -1;
    long sequence = 0;
    boolean endList = false;
    double pending = -1;
    List<String> uris = new ArrayList<>();
    List<Double> durations = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      String line = strip(lines[i]);
      try {
        if (line.isEmpty()) {
          continue;
        } else if (line.startsWith("#EXT-X-TARGETDURATION:")) {
          target = Integer.parseInt(line.substring(22));
          if (target <= 0) {
            throw new NumberFormatException("not positive");
          }
        } else if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
          sequence = Long.parseLong(line.substring(22));
          if (sequence < 0) {
            throw new NumberFormatException("negative");
          }
        } else if (line.startsWith("#EXTINF:")) {
          int comma = line.indexOf(',');
          pending = Double.parseDouble(line.substring(8, comma < 0 ? line.length() : comma));
          if (!(pending >= 0) || Double.isInfinite(pending)) {
            throw new NumberFormatException("not a duration");
          }
        } else if (line.equals("#EXT-X-ENDLIST")) {
          endList = true;
        } else if (line.startsWith("#EXT-X-STREAM-INF")) {
          throw new IllegalArgumentException("line " + (i + 1)
              + ": a multivariant playlist, not a media playlist");
        } else if (!line.startsWith("#")) {
          if (pending < 0) {
            throw new IllegalArgumentException("line " + (i + 1) + ": URI without #EXTINF");
          }
          uris.add(line);
          durations.add(pending);
          pending = -1;
        }
      } catch (NumberFormatException | IndexOutOfBoundsException e) {
        throw new IllegalArgumentException("line " + (i + 1) + ": bad value in " + line);
      }
    }
    if (pending >= 0) {
      throw new IllegalArgumentException("#EXTINF without a URI at the end");
    }
    if (target < 0) {
      throw new IllegalArgumentException("no #EXT-X-TARGETDURATION");
    }
    List<Entry> entries = new ArrayList<>(uris.size());
    for (int i = 0; i < uris.size(); i++) {
      entries.add(new Entry(sequence + i, uris.get(i), durations.get(i)));
    }
    return new HlsPlaylist(target, sequence, List.copyOf(entries), endList);
  }

  private static String strip(String line) {
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }
}
