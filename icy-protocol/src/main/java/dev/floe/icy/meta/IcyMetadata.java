package dev.floe.icy.meta;

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
    this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    this.block = encode(this.fields);
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

  /** The metadata text as it appears in a block, without padding. */
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
      text = truncateUtf8(text, MAX_PAYLOAD);
    }
    int units = (text.length + 15) / 16;
    byte[] out = new byte[1 + units * 16];
    out[0] = (byte) units;
    System.arraycopy(text, 0, out, 1, text.length);
    return out;
  }

  /** Cuts to at most {@code max} bytes without splitting a UTF-8 sequence. */
  static byte[] truncateUtf8(byte[] text, int max) {
    int end = max;
    while (end > 0 && (text[end] & 0xC0) == 0x80) {
      end--;
    }
    byte[] out = new byte[end];
    System.arraycopy(text, 0, out, 0, end);
    return out;
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
