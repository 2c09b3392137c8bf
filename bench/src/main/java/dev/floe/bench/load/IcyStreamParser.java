package dev.floe.bench.load;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Strict, incremental parser for one listener's view of an Icecast/SHOUTcast response: status line,
 * head, then audio interleaved with ICY metadata blocks.
 *
 * <p>It is written for the load generator and deliberately shares no code with the proxy's own ICY
 * module, so that it checks the proxy instead of agreeing with it. Bytes may arrive split at any
 * position. The parser keeps no audio: it only counts it. Memory per instance is bounded: up to
 * {@link #MAX_HEAD} bytes while the head is being read, and one metadata block (at most 4080 bytes)
 * while a non-empty block is being read.
 *
 * <p>Rules, any breach of which puts the parser in {@link State#FAILED}:
 *
 * <ul>
 *   <li>The status line is {@code HTTP/1.0 200}, {@code HTTP/1.1 200} or {@code ICY 200}, followed by
 *       the end of the line or a space and a reason phrase. Another status code with a valid protocol
 *       gives {@link ErrorKind#NON_200}; anything else gives {@link ErrorKind#PARSE}.
 *   <li>Every head line ends with CRLF (a bare CR or LF is an error); header lines are {@code
 *       name: value}; the head ends with an empty line within {@link #MAX_HEAD} bytes.
 *   <li>When metadata was requested, {@code icy-metaint} must be present, a positive integer of at
 *       most {@link #MAX_METAINT}; when it was not requested, {@code icy-metaint} must be absent.
 *   <li>Each metadata block (length byte L, then L*16 bytes) holds zero or more {@code
 *       Key='value';} fields, then only NUL bytes. The padding may not exceed 16 bytes: Icecast
 *       rounds text plus one terminating NUL up to a multiple of 16, so more padding than that means
 *       the block is oversized (or the stream is misaligned).
 * </ul>
 *
 * <p>Not thread-safe: one instance per connection, used by one thread.
 *
 * <p>Over 400 lines: one byte-level state machine for a whole response (head, audio, metadata
 * blocks), written for the load generator's speed without allocation per byte.
 */
public final class IcyStreamParser {
  /** Largest head (status line, headers, final CRLF) accepted. */
  public static final int MAX_HEAD = 16 * 1024;

  /** Largest {@code icy-metaint} accepted. */
  public static final int MAX_METAINT = 1 << 20;

  /** Most NUL padding bytes a metadata block may carry. */
  public static final int MAX_PADDING = 16;

  /** Where the parser is in the stream. */
  public enum State {
    /** Reading the status line. */
    STATUS_LINE,
    /** Reading header lines. */
    HEADERS,
    /** Reading audio bytes. */
    AUDIO,
    /** Expecting the metadata length byte. */
    META_LENGTH,
    /** Reading the body of a non-empty metadata block. */
    META_BODY,
    /** A rule was broken; all further input is ignored. */
    FAILED
  }

  /** Why the parser failed. */
  public enum ErrorKind {
    /** A well-formed status line with a status other than 200. */
    NON_200,
    /** Anything else that breaks the rules. */
    PARSE
  }

  private final boolean metadataRequested;

  private State state = State.STATUS_LINE;
  private ErrorKind errorKind;
  private String error;

  // Head.
  private byte[] head = new byte[256];
  private int headLen;
  private int lineStart;
  private boolean sawCr;
  private int statusCode = -1;
  private String statusLine;
  private int metaint = -1;
  private String contentType;
  private long headBytes;

  // Body.
  private int untilMeta;
  private byte[] meta;
  private int metaLen;
  private int metaFill;
  private long audioBytes;
  private long metaBlocks;
  private long nonEmptyMetaBlocks;
  private String lastMetadata;

  /**
   * Creates a parser.
   *
   * @param metadataRequested whether the request carried {@code Icy-MetaData: 1}
   */
  public IcyStreamParser(boolean metadataRequested) {
    this.metadataRequested = metadataRequested;
  }

  /**
   * Consumes every remaining byte of {@code buf}.
   *
   * @param buf the bytes just read; its position is moved to its limit
   * @return the number of audio bytes among them
   */
  public int feed(ByteBuffer buf) {
    int audio = 0;
    while (buf.hasRemaining()) {
      switch (state) {
        case STATUS_LINE:
        case HEADERS:
          headByte(buf.get());
          break;
        case AUDIO: {
          int n = buf.remaining();
          if (metaint > 0) {
            n = Math.min(n, untilMeta);
            untilMeta -= n;
            if (untilMeta == 0) {
              state = State.META_LENGTH;
            }
          }
          buf.position(buf.position() + n);
          audio += n;
          audioBytes += n;
          break;
        }
        case META_LENGTH: {
          int l = buf.get() & 0xff;
          metaBlocks++;
          if (l == 0) {
            startAudio();
          } else {
            metaLen = l * 16;
            metaFill = 0;
            meta = new byte[metaLen];
            state = State.META_BODY;
          }
          break;
        }
        case META_BODY: {
          int n = Math.min(buf.remaining(), metaLen - metaFill);
          buf.get(meta, metaFill, n);
          metaFill += n;
          if (metaFill == metaLen) {
            String err = checkMetadata(meta, metaLen);
            if (err != null) {
              fail(ErrorKind.PARSE, err);
            } else {
              int t = 0;
              while (t < metaLen && meta[t] != 0) {
                t++;
              }
              lastMetadata = new String(meta, 0, t, StandardCharsets.ISO_8859_1);
              nonEmptyMetaBlocks++;
              meta = null;
              startAudio();
            }
          }
          break;
        }
        case FAILED:
        default:
          buf.position(buf.limit());
          return audio;
      }
    }
    return audio;
  }

  private void startAudio() {
    state = State.AUDIO;
    untilMeta = metaint;
  }

  private void headByte(byte b) {
    if (headLen == MAX_HEAD) {
      fail(ErrorKind.PARSE, "head longer than " + MAX_HEAD + " bytes");
      return;
    }
    if (headLen == head.length) {
      byte[] bigger = new byte[Math.min(MAX_HEAD, head.length * 4)];
      System.arraycopy(head, 0, bigger, 0, headLen);
      head = bigger;
    }
    head[headLen++] = b;
    if (sawCr) {
      if (b != '\n') {
        fail(ErrorKind.PARSE, "bare CR in head at byte " + (headLen - 1));
        return;
      }
      sawCr = false;
      String line = new String(head, lineStart, headLen - 2 - lineStart, StandardCharsets.ISO_8859_1);
      lineStart = headLen;
      line(line);
    } else if (b == '\r') {
      sawCr = true;
    } else if (b == '\n') {
      fail(ErrorKind.PARSE, "bare LF in head at byte " + (headLen - 1));
    }
  }

  private void line(String line) {
    if (state == State.STATUS_LINE) {
      status(line);
      if (state != State.FAILED) {
        state = State.HEADERS;
      }
      return;
    }
    if (line.isEmpty()) {
      endOfHead();
      return;
    }
    int colon = line.indexOf(':');
    if (colon <= 0 || !isToken(line, colon)) {
      fail(ErrorKind.PARSE, "malformed header line: " + printable(line));
      return;
    }
    String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
    String value = line.substring(colon + 1).trim();
    if (name.equals("icy-metaint")) {
      int v;
      try {
        v = Integer.parseInt(value);
      } catch (NumberFormatException e) {
        fail(ErrorKind.PARSE, "icy-metaint not a number: " + printable(value));
        return;
      }
      if (v <= 0 || v > MAX_METAINT) {
        fail(ErrorKind.PARSE, "icy-metaint out of range: " + v);
        return;
      }
      if (metaint > 0 && metaint != v) {
        fail(ErrorKind.PARSE, "conflicting icy-metaint headers: " + metaint + " and " + v);
        return;
      }
      metaint = v;
    } else if (name.equals("content-type")) {
      contentType = value;
    }
  }

  private static boolean isToken(String line, int end) {
    for (int i = 0; i < end; i++) {
      char c = line.charAt(i);
      if (c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
        return false;
      }
    }
    return true;
  }

  private void status(String line) {
    statusLine = line;
    String proto;
    String rest;
    if (line.startsWith("HTTP/1.0 ") || line.startsWith("HTTP/1.1 ")) {
      proto = line.substring(0, 8);
      rest = line.substring(9);
    } else if (line.startsWith("ICY ")) {
      proto = "ICY";
      rest = line.substring(4);
    } else {
      fail(ErrorKind.PARSE, "bad status line: " + printable(line));
      return;
    }
    if (rest.length() < 3
        || !Character.isDigit(rest.charAt(0))
        || !Character.isDigit(rest.charAt(1))
        || !Character.isDigit(rest.charAt(2))
        || (rest.length() > 3 && rest.charAt(3) != ' ')) {
      fail(ErrorKind.PARSE, "bad status line: " + printable(line));
      return;
    }
    statusCode = Integer.parseInt(rest.substring(0, 3));
    if (statusCode != 200) {
      fail(ErrorKind.NON_200, proto + " " + statusCode);
    }
  }

  private void endOfHead() {
    headBytes = headLen;
    head = null;
    if (metadataRequested && metaint < 0) {
      fail(ErrorKind.PARSE, "icy-metaint missing although Icy-MetaData: 1 was sent");
      return;
    }
    if (!metadataRequested && metaint > 0) {
      fail(ErrorKind.PARSE, "icy-metaint sent although metadata was not requested");
      return;
    }
    startAudio();
  }

  /**
   * Checks the body of one metadata block.
   *
   * @return null when valid, else the reason
   */
  static String checkMetadata(byte[] b, int len) {
    int i = 0;
    while (i < len && b[i] != 0) {
      // Key: a letter, then letters, digits or underscores.
      int keyStart = i;
      while (i < len && (isAlnum(b[i]) || b[i] == '_')) {
        i++;
      }
      if (i == keyStart || !isAlpha(b[keyStart])) {
        return "metadata: expected a key at offset " + keyStart + " in " + show(b, len);
      }
      if (i + 1 >= len || b[i] != '=' || b[i + 1] != '\'') {
        return "metadata: expected =' after key at offset " + i + " in " + show(b, len);
      }
      i += 2;
      // Value: up to the first "';" followed by end of text, NUL, or the next key='.
      int end = -1;
      for (int j = i; j + 1 < len; j++) {
        if (b[j] == 0) {
          break;
        }
        if (b[j] == '\'' && b[j + 1] == ';' && (j + 2 >= len || b[j + 2] == 0 || startsKey(b, j + 2, len))) {
          end = j;
          break;
        }
      }
      if (end < 0) {
        return "metadata: unterminated value at offset " + i + " in " + show(b, len);
      }
      i = end + 2;
    }
    int textEnd = i;
    for (; i < len; i++) {
      if (b[i] != 0) {
        return "metadata: non-NUL byte in padding at offset " + i + " in " + show(b, len);
      }
    }
    int padding = len - textEnd;
    if (padding > MAX_PADDING) {
      return "metadata: oversized block, " + len + " bytes for " + textEnd + " bytes of text";
    }
    return null;
  }

  private static boolean startsKey(byte[] b, int at, int len) {
    if (at >= len || !isAlpha(b[at])) {
      return false;
    }
    int i = at;
    while (i < len && (isAlnum(b[i]) || b[i] == '_')) {
      i++;
    }
    return i + 1 < len && b[i] == '=' && b[i + 1] == '\'';
  }

  private static boolean isAlpha(byte c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isAlnum(byte c) {
    return isAlpha(c) || (c >= '0' && c <= '9');
  }

  private static String show(byte[] b, int len) {
    return printable(new String(b, 0, Math.min(len, 120), StandardCharsets.ISO_8859_1));
  }

  private static String printable(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length() && i < 120; i++) {
      char c = s.charAt(i);
      if (c < 32 || c >= 127) {
        sb.append(String.format("\\x%02x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append('"').toString();
  }

  private void fail(ErrorKind kind, String why) {
    if (state == State.FAILED) {
      return;
    }
    state = State.FAILED;
    errorKind = kind;
    error = why;
    head = null;
    meta = null;
  }

  /** Current state. */
  public State state() {
    return state;
  }

  /** True once the whole head has been read (and accepted). */
  public boolean headComplete() {
    return state == State.AUDIO || state == State.META_LENGTH || state == State.META_BODY
        || (state == State.FAILED && headBytes > 0);
  }

  /** True after a rule was broken. */
  public boolean failed() {
    return state == State.FAILED;
  }

  /** Why the parser failed, or null. */
  public ErrorKind errorKind() {
    return errorKind;
  }

  /** Human-readable reason for the failure, or null. */
  public String error() {
    return error;
  }

  /** The status code, or -1 before the status line was read. */
  public int statusCode() {
    return statusCode;
  }

  /** The status line, or null before it was read. */
  public String statusLine() {
    return statusLine;
  }

  /** The {@code icy-metaint} value, or -1 when absent. */
  public int metaint() {
    return metaint;
  }

  /** The {@code Content-Type} value, or null. */
  public String contentType() {
    return contentType;
  }

  /** Size of the head in bytes, 0 until it is complete. */
  public long headBytes() {
    return headBytes;
  }

  /** Audio bytes seen so far (metadata excluded). */
  public long audioBytes() {
    return audioBytes;
  }

  /** Metadata blocks seen so far, empty ones included. */
  public long metadataBlocks() {
    return metaBlocks;
  }

  /** Valid non-empty metadata blocks seen so far. */
  public long nonEmptyMetadataBlocks() {
    return nonEmptyMetaBlocks;
  }

  /** Text of the last valid non-empty metadata block (NUL padding removed), or null. */
  public String lastMetadata() {
    return lastMetadata;
  }
}
