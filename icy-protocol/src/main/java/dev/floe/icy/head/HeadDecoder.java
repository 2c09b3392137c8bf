package dev.floe.icy.head;

import dev.floe.icy.head.HeadException.Kind;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Incremental decoder of one head (start line, header lines, blank line), fed as bytes arrive.
 *
 * <p>{@link #decode} consumes bytes from the buffer it is given and returns null while the head is
 * incomplete; what it consumed is kept inside, bounded by the {@link HeadLimits}. When the blank
 * line that ends the head has been read it returns the head and leaves the buffer's position just
 * after that line, so the caller still holds every body byte (a source client sends audio right
 * after its head, with no Content-Length). After a head or a {@link HeadException} the decoder must
 * be {@link #reset()} before it decodes again.
 *
 * <p>Tolerates CRLF or bare LF line ends, blank lines before the start line, header lines with or
 * without a space after the colon, and obs-fold continuation lines (joined with one space). Every
 * limit trips as soon as it is passed, even if the line never ends. A control byte other than HT
 * (and CR before LF) anywhere in the head is malformed. Bytes are read as ISO-8859-1.
 *
 * <p>Not thread-safe: one decoder per connection.
 *
 * @param <T> {@link RequestHead} or {@link ResponseHead}
 */
public abstract sealed class HeadDecoder<T> permits RequestHeadDecoder, ResponseHeadDecoder {
  private static final byte CR = '\r';
  private static final byte LF = '\n';

  private final HeadLimits limits;

  private byte[] line = new byte[128];
  private int lineLen;
  /** A CR was read and is held until the next byte says whether it ends the line. */
  private boolean pendingCr;
  private int headBytes;
  private boolean startSeen;
  private boolean done;
  private final List<String> names = new ArrayList<>();
  private final List<String> values = new ArrayList<>();

  HeadDecoder(HeadLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  public HeadLimits limits() {
    return limits;
  }

  /**
   * Consumes bytes of {@code in}. Returns the head once its closing blank line has been read,
   * leaving {@code in} positioned at the first body byte; returns null after consuming all of
   * {@code in} when more bytes are needed.
   *
   * @throws HeadException when the head breaks a limit or is malformed
   * @throws IllegalStateException when called after a result or an error without {@link #reset()}
   */
  public final T decode(ByteBuffer in) throws HeadException {
    if (done) {
      throw new IllegalStateException("decoder finished: reset() before decoding again");
    }
    try {
      while (in.hasRemaining()) {
        byte b = in.get();
        if (++headBytes > limits.maxHeadBytes()) {
          throw error(Kind.HEAD_TOO_LARGE, "head larger than " + limits.maxHeadBytes() + " bytes");
        }
        if (b == LF) {
          pendingCr = false;
          T result = endOfLine();
          if (result != null) {
            done = true;
            return result;
          }
          continue;
        }
        if (pendingCr) {
          pendingCr = false;
          append(CR);
        }
        if (b == CR) {
          pendingCr = true;
        } else {
          append(b);
        }
      }
      return null;
    } catch (HeadException | RuntimeException e) {
      done = true;
      throw e;
    }
  }

  /** Forgets everything consumed so far, ready for a new head. */
  public void reset() {
    if (line.length > 1024) {
      line = new byte[128];
    }
    lineLen = 0;
    pendingCr = false;
    headBytes = 0;
    startSeen = false;
    done = false;
    names.clear();
    values.clear();
  }

  /** Parses the start line; throws MALFORMED_START_LINE. */
  abstract void startLine(String line) throws HeadException;

  /** Builds the result once the head is complete. */
  abstract T build(Headers headers);

  static HeadException error(Kind kind, String message) {
    return new HeadException(kind, message);
  }

  private void append(byte b) throws HeadException {
    int u = b & 0xFF;
    if (Syntax.isForbiddenControl(u)) {
      String where = startSeen ? "header line" : "start line";
      throw error(
          startSeen ? Kind.MALFORMED_HEADER : Kind.MALFORMED_START_LINE,
          "control byte 0x" + String.format("%02X", u) + " in " + where);
    }
    if (lineLen == limits.maxLineBytes()) {
      throw startSeen
          ? error(Kind.HEADER_LINE_TOO_LONG, "header line longer than " + limits.maxLineBytes() + " bytes")
          : error(Kind.START_LINE_TOO_LONG, "start line longer than " + limits.maxLineBytes() + " bytes");
    }
    if (lineLen == line.length) {
      line = Arrays.copyOf(line, Math.min(limits.maxLineBytes(), line.length * 2));
    }
    line[lineLen++] = b;
  }

  private T endOfLine() throws HeadException {
    String s = new String(line, 0, lineLen, StandardCharsets.ISO_8859_1);
    int len = lineLen;
    lineLen = 0;
    if (!startSeen) {
      if (len == 0) {
        return null; // blank lines before the start line
      }
      startSeen = true;
      startLine(s);
      return null;
    }
    if (len == 0) {
      Headers.Builder hb = Headers.builder();
      for (int i = 0; i < names.size(); i++) {
        hb.add(names.get(i), values.get(i));
      }
      return build(hb.build());
    }
    char first = s.charAt(0);
    if (first == ' ' || first == '\t') {
      if (names.isEmpty()) {
        throw error(Kind.MALFORMED_HEADER, "continuation line before any header");
      }
      String more = Syntax.trimOws(s);
      if (!more.isEmpty()) {
        int last = values.size() - 1;
        String prev = values.get(last);
        values.set(last, prev.isEmpty() ? more : prev + ' ' + more);
      }
      return null;
    }
    int colon = s.indexOf(':');
    if (colon < 0) {
      throw error(Kind.MALFORMED_HEADER, "header line without a colon");
    }
    String name = s.substring(0, colon);
    if (!Syntax.isToken(name)) {
      throw error(
          Kind.MALFORMED_HEADER,
          name.isEmpty() ? "header line with an empty name" : "header name is not a token");
    }
    if (names.size() == limits.maxHeaders()) {
      throw error(Kind.TOO_MANY_HEADERS, "more than " + limits.maxHeaders() + " headers");
    }
    names.add(name);
    values.add(Syntax.trimOws(s.substring(colon + 1)));
    return null;
  }
}
