package dev.floe.icy.head;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable, ordered list of header fields. Names compare case-insensitively (ASCII) but keep
 * the case they were given. A name may appear more than once.
 *
 * <p>Names must be HTTP tokens; values must hold no control characters other than HT (so a value
 * can never inject a line into an encoded head). Values are Java strings whose chars are meant as
 * ISO-8859-1 bytes: the decoder maps each byte to one char and the encoder maps it back, so bytes
 * above 0x7F (such as a UTF-8 {@code icy-name}) pass through unchanged.
 */
public final class Headers {
  /** No headers. */
  public static final Headers EMPTY = new Headers(List.of());

  private final List<Map.Entry<String, String>> entries;

  private Headers(List<Map.Entry<String, String>> entries) {
    this.entries = entries;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts with these headers. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.entries.addAll(entries);
    return b;
  }

  /** The first value of {@code name}, or null. */
  public String get(String name) {
    for (Map.Entry<String, String> e : entries) {
      if (e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return null;
  }

  /** Every value of {@code name} in order; empty when absent. */
  public List<String> getAll(String name) {
    List<String> out = new ArrayList<>(2);
    for (Map.Entry<String, String> e : entries) {
      if (e.getKey().equalsIgnoreCase(name)) {
        out.add(e.getValue());
      }
    }
    return Collections.unmodifiableList(out);
  }

  public boolean contains(String name) {
    return get(name) != null;
  }

  /** All fields in order, names in their original case. Unmodifiable. */
  public List<Map.Entry<String, String>> entries() {
    return entries;
  }

  /** Number of fields (a repeated name counts each time). */
  public int size() {
    return entries.size();
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /** Equal when the same fields appear in the same order; names compare case-insensitively. */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Headers h) || h.entries.size() != entries.size()) {
      return false;
    }
    for (int i = 0; i < entries.size(); i++) {
      Map.Entry<String, String> a = entries.get(i);
      Map.Entry<String, String> b = h.entries.get(i);
      if (!a.getKey().equalsIgnoreCase(b.getKey()) || !a.getValue().equals(b.getValue())) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = 1;
    for (Map.Entry<String, String> e : entries) {
      h = 31 * h + lower(e.getKey()).hashCode();
      h = 31 * h + e.getValue().hashCode();
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (Map.Entry<String, String> e : entries) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(e.getKey()).append(": ").append(e.getValue());
    }
    return sb.append('}').toString();
  }

  private static String lower(String s) {
    return s.toLowerCase(java.util.Locale.ROOT);
  }

  /** Collects fields; not thread-safe. */
  public static final class Builder {
    private final List<Map.Entry<String, String>> entries = new ArrayList<>();

    private Builder() {}

    /** Appends a field. */
    public Builder add(String name, String value) {
      entries.add(entry(name, value));
      return this;
    }

    /**
     * Replaces every field named {@code name} with one field holding {@code value}, at the place of
     * the first one (or at the end when there was none).
     */
    public Builder set(String name, String value) {
      Map.Entry<String, String> e = entry(name, value);
      int at = -1;
      for (int i = entries.size() - 1; i >= 0; i--) {
        if (entries.get(i).getKey().equalsIgnoreCase(name)) {
          entries.remove(i);
          at = i;
        }
      }
      if (at < 0) {
        entries.add(e);
      } else {
        entries.add(at, e);
      }
      return this;
    }

    /** Removes every field named {@code name}. */
    public Builder remove(String name) {
      Objects.requireNonNull(name, "name");
      entries.removeIf(e -> e.getKey().equalsIgnoreCase(name));
      return this;
    }

    public Headers build() {
      return entries.isEmpty() ? EMPTY : new Headers(List.copyOf(entries));
    }

    private static Map.Entry<String, String> entry(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (!Syntax.isToken(name)) {
        throw new IllegalArgumentException("header name is not a token: \"" + name + "\"");
      }
      Syntax.checkNoControls("value of header " + name, value);
      return Map.entry(name, value);
    }
  }
}
