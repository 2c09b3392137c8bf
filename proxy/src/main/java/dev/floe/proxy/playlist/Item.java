package dev.floe.proxy.playlist;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One local audio file being read frame by frame: a {@link FrameReader} over a file channel,
 * 16 KiB per read, so memory stays bounded whatever the file's size. Not thread-safe.
 */
final class Item implements AutoCloseable {
  private final FileChannel channel;
  private final FrameReader reader = new FrameReader();
  private final ByteBuffer io = ByteBuffer.allocate(16 * 1024);
  private long played;

  Item(Path file) throws IOException {
    this.channel = FileChannel.open(file, StandardOpenOption.READ);
  }

  /** The next frame, or false at the end of the file. */
  boolean next() throws IOException {
    while (!reader.next()) {
      if (reader.finished() || !fill()) {
        reader.endOfInput();
        if (!reader.next()) {
          return false;
        }
        break;
      }
    }
    played += reader.frameNanos();
    return true;
  }

  private boolean fill() throws IOException {
    if (io.position() == 0 && channel.read(io) < 0) {
      return false;
    }
    io.flip();
    int n = reader.feed(io.array(), io.position(), Math.min(io.remaining(), reader.room()));
    io.position(io.position() + n);
    io.compact();
    return true;
  }

  FrameReader reader() {
    return reader;
  }

  /** Playing time of the frames returned so far. */
  long played() {
    return played;
  }

  /**
   * Skips frames until {@code nanos} of playing time have passed; Ogg header pages (no playing
   * time) are returned instead of skipped, so that a player can still decode. Returns true when a
   * frame is ready for the caller.
   */
  boolean skipTo(long nanos) throws IOException {
    while (next()) {
      if (reader.frameNanos() == 0 || played > nanos) {
        return true;
      }
    }
    return false;
  }

  /** The playing time of a whole file, by reading its frame headers. */
  static long scanDuration(Path file) throws IOException {
    try (Item i = new Item(file)) {
      while (i.next()) {
        // count
      }
      return i.played();
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // read-only
    }
  }
}
