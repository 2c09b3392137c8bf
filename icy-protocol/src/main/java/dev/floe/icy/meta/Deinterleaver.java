package dev.floe.icy.meta;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Splits an upstream ICY stream ({@code metaint} audio bytes, one metadata block, and so on) into
 * audio and metadata.
 *
 * <p>Audio is handed out as slices of the buffer being fed, without copying: a slice is valid only
 * during the callback. {@link Listener#metadata} is called for every block whose length byte is not
 * zero, even when it repeats the previous one, and never for a zero (unchanged) block. A block split
 * across feeds is reassembled in an internal buffer of at most {@link IcyMetadata#MAX_PAYLOAD}
 * bytes. With {@code metaint <= 0} everything is audio.
 *
 * <p>Not thread-safe.
 */
public final class Deinterleaver {
  /** Receives what {@link #feed} finds, in stream order. */
  public interface Listener {
    /** Audio bytes: a slice of the fed buffer, valid only during this call. Never empty. */
    void audio(ByteBuffer slice);

    /** A metadata block with a non-zero length byte. */
    void metadata(IcyMetadata meta);
  }

  private static final int AUDIO = 0;
  private static final int LENGTH = 1;
  private static final int META = 2;

  private final int metaint;
  private final Listener listener;
  private final byte[] meta = new byte[IcyMetadata.MAX_PAYLOAD];
  private int state = AUDIO;
  private int audioLeft;
  private int metaSize;
  private int metaFill;
  private long audioBytes;

  public Deinterleaver(int metaint, Listener listener) {
    this.metaint = metaint;
    this.listener = Objects.requireNonNull(listener, "listener");
    this.audioLeft = metaint;
  }

  /** Consumes every byte of {@code in}, calling the listener as audio and blocks are found. */
  public void feed(ByteBuffer in) {
    if (metaint <= 0) {
      int n = in.remaining();
      if (n > 0) {
        ByteBuffer slice = in.slice();
        in.position(in.limit());
        audioBytes += n;
        listener.audio(slice);
      }
      return;
    }
    while (in.hasRemaining()) {
      switch (state) {
        case AUDIO -> {
          int n = Math.min(audioLeft, in.remaining());
          int pos = in.position();
          ByteBuffer slice = in.slice(pos, n);
          in.position(pos + n);
          audioLeft -= n;
          audioBytes += n;
          if (audioLeft == 0) {
            state = LENGTH;
          }
          listener.audio(slice);
        }
        case LENGTH -> {
          int units = in.get() & 0xFF;
          if (units == 0) {
            audioLeft = metaint;
            state = AUDIO;
          } else {
            metaSize = units * 16;
            metaFill = 0;
            state = META;
          }
        }
        default -> {
          int n = Math.min(metaSize - metaFill, in.remaining());
          in.get(meta, metaFill, n);
          metaFill += n;
          if (metaFill == metaSize) {
            audioLeft = metaint;
            state = AUDIO;
            listener.metadata(IcyMetadata.parse(meta, 0, metaSize));
          }
        }
      }
    }
  }

  /** Total audio bytes delivered so far. */
  public long audioBytes() {
    return audioBytes;
  }

  public int metaint() {
    return metaint;
  }
}
