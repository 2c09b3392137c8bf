package dev.floe.proxy.status;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Date formats for HTTP headers and Icecast status documents, always in UTC with English names.
 */
public final class HttpDates {
  private static final DateTimeFormatter RFC_1123 =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter ICECAST =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ROOT)
          .withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter ICECAST_ISO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private HttpDates() {}

  /**
   * Formats an instant for a {@code Date:} or {@code Expires:} header.
   *
   * @return e.g. {@code Wed, 06 May 2020 17:49:37 GMT}
   */
  public static String rfc1123(Instant instant) {
    return RFC_1123.format(instant);
  }

  /**
   * Formats an instant as Icecast's {@code server_start} and {@code stream_start} stats do.
   *
   * @return e.g. {@code Wed, 06 May 2020 17:49:37 +0000}
   */
  public static String icecast(Instant instant) {
    return ICECAST.format(instant);
  }

  /**
   * Formats an instant as Icecast's {@code server_start_iso8601} and
   * {@code stream_start_iso8601} stats do (no colon in the offset, no fraction).
   *
   * @return e.g. {@code 2020-05-06T17:49:37+0000}
   */
  public static String icecastIso8601(Instant instant) {
    return ICECAST_ISO.format(instant);
  }
}
