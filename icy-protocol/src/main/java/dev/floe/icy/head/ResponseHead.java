package dev.floe.icy.head;

import java.util.Objects;

/**
 * A response start line and its headers. {@code version} is {@code HTTP/1.0}, {@code HTTP/1.1}
 * or {@code ICY} (SHOUTcast's {@code ICY 200 OK}). {@code reason} may be empty, never null.
 */
public record ResponseHead(String version, int status, String reason, Headers headers) {
  /** The version of a SHOUTcast-style response. */
  public static final String ICY = "ICY";

  public ResponseHead {
    Objects.requireNonNull(version, "version");
    if (status < 100 || status > 999) {
      throw new IllegalArgumentException("status must have three digits: " + status);
    }
    reason = reason == null ? "" : reason;
    headers = headers == null ? Headers.EMPTY : headers;
  }

  /** True for a SHOUTcast {@code ICY} response. */
  public boolean isIcy() {
    return ICY.equalsIgnoreCase(version);
  }
}
