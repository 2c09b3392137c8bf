package dev.floe.buffer.frame;

import java.util.Locale;

/** How the {@link Chunker} finds frame boundaries in a stream of a given content type. */
public enum ContentKind {
  /** MPEG audio (MP3, MP2, MP1) and AAC in ADTS: one scanner for both. */
  MPEG,
  /** Ogg pages (Vorbis, Opus, FLAC in Ogg, ...). */
  OGG,
  /** Anything else: cut anywhere. */
  OTHER;

  /**
   * The kind for a {@code Content-Type} value; parameters such as {@code ; charset=} are ignored,
   * case does not matter, and null or unknown types give {@link #OTHER}.
   */
  public static ContentKind of(String contentType) {
    if (contentType == null) {
      return OTHER;
    }
    int semi = contentType.indexOf(';');
    String type = (semi >= 0 ? contentType.substring(0, semi) : contentType)
        .trim()
        .toLowerCase(Locale.ROOT);
    switch (type) {
      case "audio/mpeg":
      case "audio/mp3":
      case "audio/aac":
      case "audio/aacp":
      case "audio/x-aac":
        return MPEG;
      case "application/ogg":
      case "audio/ogg":
      case "audio/opus":
      case "video/ogg":
        return OGG;
      default:
        return OTHER;
    }
  }
}
