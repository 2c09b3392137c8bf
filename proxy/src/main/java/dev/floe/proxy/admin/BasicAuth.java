package dev.floe.proxy.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * HTTP Basic credentials: parsing an {@code Authorization} header and comparing passwords in
 * constant time. The challenge icecast2 sends with a 401 is {@link #CHALLENGE}.
 *
 * <p>The decoded {@code user:password} is read as UTF-8 when valid, else ISO-8859-1; the user is
 * everything before the first colon (so a password may contain colons). A header that is not
 * {@code Basic} (any case), not Base64, or has no colon gives no credentials.
 */
public final class BasicAuth {
  /** The {@code WWW-Authenticate} value icecast2 answers a 401 with. */
  public static final String CHALLENGE = "Basic realm=\"Icecast2 Server\"";

  /**
   * A user and password.
   *
   * @param user the user name
   * @param password the password
   */
  public record Credentials(String user, String password) {
    /** Hides the password from logs. */
    @Override
    public String toString() {
      return "Credentials[user=" + user + ", password=***]";
    }

    /** Whether these are {@code user} with {@code password} (password compared in constant time). */
    public boolean matches(String expectedUser, String expectedPassword) {
      boolean passwordOk = passwordEquals(expectedPassword, password);
      return user.equals(expectedUser) & passwordOk;
    }
  }

  private BasicAuth() {}

  /**
   * Parses an {@code Authorization} header value.
   *
   * @param header the value, e.g. {@code Basic YWRtaW46aGFja21l}; {@code null} when absent
   * @return the credentials, or empty
   */
  public static Optional<Credentials> parse(String header) {
    if (header == null) {
      return Optional.empty();
    }
    String h = header.trim();
    int space = h.indexOf(' ');
    if (space < 0 || !h.substring(0, space).toLowerCase(Locale.ROOT).equals("basic")) {
      return Optional.empty();
    }
    byte[] decoded;
    try {
      decoded = Base64.getMimeDecoder().decode(h.substring(space + 1).trim());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    String text = AdminRequest.text(decoded);
    int colon = text.indexOf(':');
    if (colon < 0) {
      return Optional.empty();
    }
    return Optional.of(new Credentials(text.substring(0, colon), text.substring(colon + 1)));
  }

  /**
   * Compares two passwords in time that depends only on their lengths, not on where they
   * differ. {@code null} on either side never matches.
   */
  public static boolean passwordEquals(String expected, String given) {
    if (expected == null || given == null) {
      return false;
    }
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
        given.getBytes(StandardCharsets.UTF_8));
  }
}
