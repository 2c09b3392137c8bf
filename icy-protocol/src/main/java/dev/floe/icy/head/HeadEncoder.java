package dev.floe.icy.head;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes heads as {@code start-line CRLF}, {@code Name: value CRLF} per header, then {@code CRLF},
 * in ISO-8859-1 (a char above 0xFF becomes {@code ?}). Header names and values were checked by
 * {@link Headers}; the start-line parts are checked here, so no part can inject a line.
 */
public final class HeadEncoder {
  private HeadEncoder() {}

  /**
   * Encodes a response. A null or empty reason is replaced by the standard phrase of the status
   * when one is known, so {@code new ResponseHead("ICY", 200, "", h)} starts with {@code ICY 200
   * OK}.
   */
  public static byte[] encode(ResponseHead head) {
    String reason = head.reason();
    if (reason.isEmpty()) {
      reason = reasonPhrase(head.status());
    }
    checkPart("version", head.version());
    Syntax.checkNoControls("reason", reason);
    String version = head.isIcy() ? ResponseHead.ICY : head.version();
    return encode(version + ' ' + head.status() + ' ' + reason, head.headers());
  }

  /** Encodes a request. */
  public static byte[] encode(RequestHead head) {
    checkPart("method", head.method());
    checkPart("target", head.target());
    checkPart("version", head.version());
    return encode(head.method() + ' ' + head.target() + ' ' + head.version(), head.headers());
  }

  private static byte[] encode(String startLine, Headers headers) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + 32 * headers.size());
    write(out, startLine);
    out.write('\r');
    out.write('\n');
    for (Map.Entry<String, String> e : headers.entries()) {
      write(out, e.getKey());
      out.write(':');
      out.write(' ');
      write(out, e.getValue());
      out.write('\r');
      out.write('\n');
    }
    out.write('\r');
    out.write('\n');
    return out.toByteArray();
  }

  private static void write(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
    out.write(b, 0, b.length);
  }

  private static void checkPart(String what, String s) {
    if (s.isEmpty()) {
      throw new IllegalArgumentException(what + " is empty");
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ' ' || Syntax.isForbiddenControl(c)) {
        throw new IllegalArgumentException(what + " contains a space or control character");
      }
    }
  }

  /** The standard reason phrase of a status, or "" when unknown. */
  public static String reasonPhrase(int status) {
    return switch (status) {
      case 100 -> "Continue";
      case 101 -> "Switching Protocols";
      case 200 -> "OK";
      case 201 -> "Created";
      case 204 -> "No Content";
      case 206 -> "Partial Content";
      case 301 -> "Moved Permanently";
      case 302 -> "Found";
      case 303 -> "See Other";
      case 304 -> "Not Modified";
      case 307 -> "Temporary Redirect";
      case 308 -> "Permanent Redirect";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 408 -> "Request Timeout";
      case 409 -> "Conflict";
      case 411 -> "Length Required";
      case 413 -> "Content Too Large";
      case 414 -> "URI Too Long";
      case 416 -> "Range Not Satisfiable";
      case 417 -> "Expectation Failed";
      case 429 -> "Too Many Requests";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 501 -> "Not Implemented";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "";
    };
  }
}
