package dev.floe.proxy.status;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict RFC 8259 JSON parser for tests. Objects become {@link LinkedHashMap}s in document
 * order (duplicate keys rejected), arrays {@link List}s, numbers {@link BigDecimal}s, and JSON
 * {@code null} a {@code null} map value. Anything not in the grammar throws.
 */
public final class StrictJson {
  private final String s;
  private int i;

  private StrictJson(String s) {
    this.s = s;
  }

  /** Parses one JSON text; rejects trailing garbage. */
  public static Object parse(String text) {
    StrictJson p = new StrictJson(text);
    p.ws();
    Object v = p.value();
    p.ws();
    if (p.i != text.length()) {
      throw p.error("trailing characters");
    }
    return v;
  }

  /** Casts a parsed value to an object, failing the test if it is something else. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> obj(Object v) {
    if (!(v instanceof Map)) {
      throw new AssertionError("not a JSON object: " + v);
    }
    return (Map<String, Object>) v;
  }

  /** Casts a parsed value to an array, failing the test if it is something else. */
  @SuppressWarnings("unchecked")
  public static List<Object> arr(Object v) {
    if (!(v instanceof List)) {
      throw new AssertionError("not a JSON array: " + v);
    }
    return (List<Object>) v;
  }

  private Object value() {
    if (i >= s.length()) {
      throw error("unexpected end");
    }
    char c = s.charAt(i);
    switch (c) {
      case '{': return object();
      case '[': return array();
      case '"': return string();
      case 't': return literal("true", Boolean.TRUE);
      case 'f': return literal("false", Boolean.FALSE);
      case 'n': return literal("null", null);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error("unexpected '" + c + "'");
    }
  }

  private Map<String, Object> object() {
    Map<String, Object> map = new LinkedHashMap<>();
    i++;
    ws();
    if (peek() == '}') {
      i++;
      return map;
    }
    while (true) {
      ws();
      if (peek() != '"') {
        throw error("expected key");
      }
      String key = string();
      ws();
      expect(':');
      ws();
      if (map.containsKey(key)) {
        throw error("duplicate key " + key);
      }
      map.put(key, value());
      ws();
      char c = next();
      if (c == '}') {
        return map;
      }
      if (c != ',') {
        throw error("expected , or }");
      }
    }
  }

  private List<Object> array() {
    List<Object> list = new ArrayList<>();
    i++;
    ws();
    if (peek() == ']') {
      i++;
      return list;
    }
    while (true) {
      ws();
      list.add(value());
      ws();
      char c = next();
      if (c == ']') {
        return list;
      }
      if (c != ',') {
        throw error("expected , or ]");
      }
    }
  }

  private String string() {
    expect('"');
    StringBuilder sb = new StringBuilder();
    while (true) {
      char c = next();
      if (c == '"') {
        return sb.toString();
      } else if (c < 0x20) {
        throw error("raw control character");
      } else if (c == '\\') {
        char e = next();
        switch (e) {
          case '"', '\\', '/' -> sb.append(e);
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'u' -> {
            if (i + 4 > s.length()) {
              throw error("short \\u escape");
            }
            String hex = s.substring(i, i + 4);
            if (!hex.matches("[0-9a-fA-F]{4}")) {
              throw error("bad \\u escape");
            }
            sb.append((char) Integer.parseInt(hex, 16));
            i += 4;
          }
          default -> throw error("bad escape \\" + e);
        }
      } else {
        sb.append(c);
      }
    }
  }

  private BigDecimal number() {
    int start = i;
    if (peek() == '-') {
      i++;
    }
    if (peek() == '0') {
      i++;
    } else if (peek() >= '1' && peek() <= '9') {
      digits();
    } else {
      throw error("bad number");
    }
    if (peek() == '.') {
      i++;
      digits();
    }
    if (peek() == 'e' || peek() == 'E') {
      i++;
      if (peek() == '+' || peek() == '-') {
        i++;
      }
      digits();
    }
    return new BigDecimal(s.substring(start, i));
  }

  private void digits() {
    int start = i;
    while (peek() >= '0' && peek() <= '9') {
      i++;
    }
    if (i == start) {
      throw error("expected digit");
    }
  }

  private Object literal(String word, Object v) {
    if (!s.startsWith(word, i)) {
      throw error("bad literal");
    }
    i += word.length();
    return v;
  }

  private void ws() {
    while (i < s.length() && " \t\n\r".indexOf(s.charAt(i)) >= 0) {
      i++;
    }
  }

  private char peek() {
    return i < s.length() ? s.charAt(i) : '\0';
  }

  private char next() {
    if (i >= s.length()) {
      throw error("unexpected end");
    }
    return s.charAt(i++);
  }

  private void expect(char c) {
    if (next() != c) {
      throw error("expected '" + c + "'");
    }
  }

  private IllegalArgumentException error(String why) {
    return new IllegalArgumentException(why + " at " + i + " in " + s);
  }
}
