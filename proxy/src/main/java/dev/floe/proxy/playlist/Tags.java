package dev.floe.proxy.playlist;

import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jaudiotagger.audio.AudioFile;
import org.jaudiotagger.audio.AudioFileIO;
import org.jaudiotagger.tag.FieldKey;
import org.jaudiotagger.tag.Tag;

/**
 * Artist, title and duration of one audio file, read with JAudioTagger (which logs through JUL:
 * its loggers are switched off here). Reading may fail; then every field is null.
 *
 * @param artist the artist tag, or null
 * @param title the title tag, or null
 * @param duration the playing time, or null when unknown
 */
public record Tags(String artist, String title, Duration duration) {
  /** Held so that JUL keeps the level (it references loggers weakly). */
  private static final Logger QUIET = Logger.getLogger("org.jaudiotagger");

  static {
    QUIET.setLevel(Level.OFF);
  }

  /** Nothing known. */
  public static final Tags NONE = new Tags(null, null, null);

  /** Reads a file's tags; {@link #NONE} when it cannot be read. */
  public static Tags read(Path file) {
    try {
      AudioFile f = AudioFileIO.read(file.toFile());
      Tag t = f.getTag();
      double seconds = f.getAudioHeader().getPreciseTrackLength();
      return new Tags(field(t, FieldKey.ARTIST), field(t, FieldKey.TITLE),
          seconds > 0 ? Duration.ofNanos((long) (seconds * 1e9)) : null);
    } catch (Exception | LinkageError e) {
      return NONE;
    }
  }

  private static String field(Tag t, FieldKey k) {
    if (t == null) {
      return null;
    }
    String v = t.getFirst(k);
    return v == null || v.isBlank() ? null : v.strip();
  }

  /** {@code Artist - Title}, the title alone, else {@code fallback}. */
  public String display(String fallback) {
    if (title == null) {
      return fallback;
    }
    return artist == null ? title : artist + " - " + title;
  }
}
