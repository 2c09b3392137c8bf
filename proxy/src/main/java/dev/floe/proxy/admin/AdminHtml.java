package dev.floe.proxy.admin;

import dev.floe.proxy.status.Escape;

/**
 * The small HTML bodies icecast2 2.4.4 sends from the admin interface
 * ({@code text/html; charset=utf-8}): error pages and the "Admin request successful" page of
 * {@code fallbacks} and the SHOUTcast {@code /admin.cgi} metadata update. The message is
 * HTML-escaped here; icecast2 pastes it raw.
 */
public final class AdminHtml {
  /** The Content-Type of these pages. */
  public static final String CONTENT_TYPE = "text/html; charset=utf-8";

  private AdminHtml() {}

  /**
   * An error page, e.g. {@code <html><head><title>Error 400</title></head><body><b>400 - Missing
   * parameter</b></body></html>} followed by CRLF, as icecast2 sends it.
   */
  public static String error(int status, String message) {
    return "<html><head><title>Error " + status + "</title></head><body><b>" + status + " - "
        + escape(message) + "</b></body></html>\r\n";
  }

  /**
   * The success page, e.g. {@code <html><head><title>Admin request successful</title></head>
   * <body><p>Fallback configured</p></body></html>} (one line, no trailing line feed).
   */
  public static String success(String message) {
    return "<html><head><title>Admin request successful</title></head><body><p>"
        + escape(message) + "</p></body></html>";
  }

  private static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 8);
    Escape.icecastXmlText(sb, s);
    return sb.toString();
  }
}
