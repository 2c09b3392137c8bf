package dev.floe.icy.meta;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One ICY metadata value, such as {@code StreamTitle='Artist - Title';StreamUrl='http://x';}.
 *
 * <p>Immutable. Fields keep their order. The encoded block (length byte, text, NUL padding) is
 * computed once and shared by every listener, so sending it costs no allocation per listener.
 *
 * <p>A text longer than {@link #MAX_PAYLOAD} bytes of UTF-8 is not rejected (a relay must not lose
 * the update): the block keeps the whole fields that fit and cuts the first field that does not at
 * a UTF-8 character boundary, still closed by {@code ';}, so the block stays well-formed. {@link
 * #fields()} and {@link #text()} keep the full values.
 *
 * <p>Values are clean whatever their source (an upstream's block, an admin update, a playlist
 * tag, the swarm): line breaks and tabs (CR, LF, HT, NEL, U+2028, U+2029) become a space and
 * every other C0 control and DEL (NUL above all, which C-string parsers in players read as the
 * end of the title) is removed, so a title can neither forge a log line nor reach a
 * player, the status JSON or the swarm with control bytes ({@link #clean}).
 */
public final class IcyMetadata {
  /** Largest payload one block can carry: 255 x 16 bytes. */
  public static final int MAX_PAYLOAD = 255 * 16;

  /** The single zero byte that means "metadata unchanged". */
  private static final byte[] UNCHANGED = {0};

  /** What Icecast sends before any title exists: {@code StreamTitle='';}. */
  public static final IcyMetadata EMPTY = of("", null);

  private final Map<String, String> fields;
  private final byte[] block;

  private IcyMetadata(Map<String, String> fields) {
    Map<String, String> clean = new LinkedHashMap<>();
    fields.forEach((k, v) -> clean.put(k, clean(v)));
    this.fields = Collections.unmodifiableMap(clean);
    this.block = encode(this.fields);
  }

  /**
   * {@code text} without control characters: CR, LF, HT, NEL, U+2028 and U+2029 become a space,
   * every other C0 control and DEL is dropped (other C1 characters stay: a Latin-1 reading of a
   * Windows-1252 title holds its quotes there). Returns {@code text} itself when it is clean.
   */
  public static String clean(String text) {
    int i = 0;
    while (i < text.length() && !dirty(text.charAt(i))) {
      i++;
    }
    if (i == text.length()) {
      return text;
    }
    StringBuilder sb = new StringBuilder(text.length()).append(text, 0, i);
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!dirty(c)) {
        sb.append(c);
      } else if (c == '\r' || c == '\n' || c == '\t' || c == '\u0085' || c == '\u2028'
          || c == '\u2029') {
        sb.append(' ');
      }
    }
    return sb.toString();
  }

  private static boolean dirty(char c) {
    return c < 0x20 || c == 0x7f || c == '\u0085' || c == '\u2028' || c == '\u2029';
  }

  /** Metadata with a title and, when {@code url} is not null, a {@code StreamUrl}. */
  public static IcyMetadata of(String title, String url) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("StreamTitle", title == null ? "" : title);
    if (url != null) {
      f.put("StreamUrl", url);
    }
    return new IcyMetadata(f);
  }

  /** Metadata with the given fields in order. */
  public static IcyMetadata ofFields(Map<String, String> fields) {
    fields.forEach(
        (k, v) -> {
          Objects.requireNonNull(k, "metadata field name");
          Objects.requireNonNull(v, () -> "value of metadata field " + k);
        });
    return new IcyMetadata(fields);
  }

  /** A fresh copy of the one-byte "unchanged" block. */
  public static byte[] unchangedBlock() {
    return UNCHANGED.clone();
  }

  public Map<String, String> fields() {
    return fields;
  }

  /** The {@code StreamTitle}, or "" when there is none. */
  public String title() {
    return fields.getOrDefault("StreamTitle", "");
  }

  /** The {@code StreamUrl}, or null when there is none. */
  public String url() {
    return fields.get("StreamUrl");
  }

  /**
   * The metadata text, {@code Key='value';} per field, as it appears in a block without padding
   * (before any truncation to {@link #MAX_PAYLOAD}).
   */
  public String text() {
    StringBuilder sb = new StringBuilder();
    fields.forEach((k, v) -> sb.append(k).append("='").append(v).append("';"));
    return sb.toString();
  }

  /**
   * The whole block: length byte L, then L x 16 bytes of UTF-8 text padded with NUL. Do not modify
   * the returned array: it is shared.
   */
  public byte[] block() {
    return block;
  }

  private static byte[] encode(Map<String, String> fields) {
    StringBuilder sb = new StringBuilder();
    fields.forEach((k, v) -> sb.append(k).append("='").append(v).append("';"));
    byte[] text = sb.toString().getBytes(StandardCharsets.UTF_8);
    if (text.length > MAX_PAYLOAD) {
      text = truncateFields(fields, text);
    }
    int units = (text.length + 15) / 16;
    byte[] out = new byte[1 + units * 16];
    out[0] = (byte) units;
    System.arraycopy(text, 0, out, 1, text.length);
    return out;
  }

  /**
   * At most {@link #MAX_PAYLOAD} bytes: the whole fields that fit, then the first one that does not
   * with its value cut at a character boundary and its closing {@code ';} kept. Falls back to a
   * plain cut of {@code full} when not even the first name fits.
   */
  private static byte[] truncateFields(Map<String, String> fields, byte[] full) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(MAX_PAYLOAD);
    byte[] close = "';".getBytes(StandardCharsets.US_ASCII);
    for (Map.Entry<String, String> e : fields.entrySet()) {
      byte[] open = (e.getKey() + "='").getBytes(StandardCharsets.UTF_8);
      byte[] value = e.getValue().getBytes(StandardCharsets.UTF_8);
      int room = MAX_PAYLOAD - out.size() - open.length - close.length;
      if (room < 0 || (room == 0 && value.length > 0 && out.size() > 0)) {
        break;
      }
      boolean whole = value.length <= room;
      if (!whole) {
        value = truncateUtf8(value, room);
      }
      out.write(open, 0, open.length);
      out.write(value, 0, value.length);
      out.write(close, 0, close.length);
      if (!whole) {
        break;
      }
    }
    return out.size() > 0 ? out.toByteArray() : truncateUtf8(full, MAX_PAYLOAD);
  }

  /** Cuts to at most {@code max} bytes without splitting a UTF-8 sequence. */
  static byte[] truncateUtf8(byte[] text, int max) {
    if (text.length <= max) {
      return text;
    }
    int end = max;
    while (end > 0 && (text[end] & 0xC0) == 0x80) {
      end--;
    }
    byte[] out = new byte[end];
    System.arraycopy(text, 0, out, 0, end);
    return out;
  }

  /**
   * Parses the payload of a block: {@code len} bytes from {@code off}, without the length byte.
   * Trailing NULs are dropped; the text is read as UTF-8 when it is valid UTF-8, else as Latin-1.
   * See {@link #parse(String)}.
   */
  public static IcyMetadata parse(byte[] buf, int off, int len) {
    Objects.checkFromIndexSize(off, len, buf.length);
    int end = off + len;
    while (end > off && buf[end - 1] == 0) {
      end--;
    }
    return parse(decodeText(buf, off, end - off));
  }

  /**
   * Parses metadata text: {@code Key='value';} pairs, Key being {@code [A-Za-z0-9_]+}.
   *
   * <p>Icecast does not escape values, so a value may hold {@code '} and {@code ;}: a value ends
   * at a {@code ';} followed by the end of the text (after optional whitespace) or by another
   * {@code Key='} (after optional whitespace). A missing final {@code ;} and a missing final quote
   * are tolerated. When a key repeats the first value wins. A text that does not start with
   * {@code Key='} (after optional whitespace) is all title: {@code {StreamTitle=<text>}}; so is an
   * empty text, which gives {@link #EMPTY}.
   */
  public static IcyMetadata parse(String text) {
    int n = text.length();
    int i = skipWhitespace(text, 0);
    if (keyEnd(text, i) < 0) {
      return text.isEmpty() ? EMPTY : of(text, null);
    }
    Map<String, String> fields = new LinkedHashMap<>();
    while (i < n) {
      int eq = keyEnd(text, i);
      if (eq < 0) {
        break; // cannot happen: every step below stops at a key or at the end
      }
      String key = text.substring(i, eq);
      int valueStart = eq + 2;
      int valueEnd = n;
      int next = n;
      for (int q = text.indexOf('\'', valueStart); q >= 0; q = text.indexOf('\'', q + 1)) {
        int after = q + 1;
        if (after < n && text.charAt(after) == ';') {
          int p = skipWhitespace(text, after + 1);
          if (p == n || keyEnd(text, p) >= 0) {
            valueEnd = q;
            next = p;
            break;
          }
        } else if (skipWhitespace(text, after) == n) {
          valueEnd = q;
          next = n;
          break;
        }
      }
      fields.putIfAbsent(key, text.substring(valueStart, valueEnd));
      i = next;
    }
    return new IcyMetadata(fields);
  }

  /** If {@code Key='} starts at {@code i}, the index of its {@code =}; else -1. */
  private static int keyEnd(String s, int i) {
    int j = i;
    while (j < s.length() && isKeyChar(s.charAt(j))) {
      j++;
    }
    if (j == i || j + 1 >= s.length() || s.charAt(j) != '=' || s.charAt(j + 1) != '\'') {
      return -1;
    }
    return j;
  }

  private static boolean isKeyChar(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  }

  private static int skipWhitespace(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static String decodeText(byte[] buf, int off, int len) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(buf, off, len))
          .toString();
    } catch (CharacterCodingException e) {
      return new String(buf, off, len, StandardCharsets.ISO_8859_1);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IcyMetadata m && m.fields.equals(fields);
  }

  @Override
  public int hashCode() {
    return Objects.hash(fields);
  }

  @Override
  public String toString() {
    return text();
  }
}
