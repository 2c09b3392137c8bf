package dev.floe.proxy.admin;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * What the server writes back for an admin request: status line, Content-Type, body and any
 * extra headers ({@code WWW-Authenticate} on a 401). The transport adds Icecast's usual headers
 * ({@code Server}, {@code Date}, {@code Connection: Close}, {@code Content-Length}).
 *
 * @param status the HTTP status
 * @param reason the reason phrase
 * @param contentType the body's Content-Type
 * @param body the body bytes
 * @param headers extra header name/value pairs, in order
 */
public record AdminResponse(int status, String reason, String contentType, byte[] body,
    List<String[]> headers) {

  /** icecast2 2.4.4's 401 body. */
  static final String UNAUTHORIZED_BODY = "You need to authenticate\r\n";

  /** Copies the header list. */
  public AdminResponse {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(body, "body");
    headers = List.copyOf(headers);
  }

  /** The body as UTF-8 text (for tests and logs). */
  public String text() {
    return new String(body, StandardCharsets.UTF_8);
  }

  static AdminResponse ok(String contentType, String body) {
    return new AdminResponse(200, "OK", contentType, body.getBytes(StandardCharsets.UTF_8),
        List.of());
  }

  /** An error page as icecast2 sends it ({@link AdminHtml#error}). */
  static AdminResponse error(int status, String message) {
    return new AdminResponse(status, switch (status) {
      case 400 -> "Bad Request";
      case 404 -> "File Not Found";
      default -> "Error";
    },
        AdminHtml.CONTENT_TYPE, AdminHtml.error(status, message).getBytes(StandardCharsets.UTF_8),
        List.of());
  }

  /** icecast2's 401: {@code You need to authenticate} with the Basic challenge. */
  public static AdminResponse unauthorized() {
    return new AdminResponse(401, "Authentication Required", "text/plain; charset=utf-8",
        UNAUTHORIZED_BODY.getBytes(StandardCharsets.UTF_8),
        List.<String[]>of(new String[] {"WWW-Authenticate", BasicAuth.CHALLENGE}));
  }
}
