package dev.floe.proxy.admin;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Parses an admin request path and query into an {@link AdminCommand}, or the 400 icecast2 2.4.4
 * answers, checked in icecast2's order:
 * <ol>
 *   <li>an unknown command: 400 {@code Unrecognised command};</li>
 *   <li>a mount command without {@code mount}: 400 {@code Unknown admin request};</li>
 *   <li>a {@code mount} (on any command) the predicate does not know: 400
 *       {@code Source does not exist};</li>
 *   <li>a missing required parameter: 400 {@code Missing parameter};</li>
 *   <li>{@code moveclients}: an unknown destination, 400 {@code No such destination}; the same
 *       mount, 400 {@code supplied mountpoints are identical}.</li>
 * </ol>
 * Query parameters are percent-decoded with {@code +} as a space; a repeated name keeps its last
 * value, as icecast2 does.
 *
 * <p>Metadata charset: {@code charset=} (e.g. {@code ISO-8859-1}) names the charset of the
 * decoded bytes of {@code song}, {@code artist} and {@code title}; an unknown charset name is
 * ignored. Without it Floe takes the bytes as UTF-8 when they are valid UTF-8 and as ISO-8859-1
 * otherwise. icecast2 2.4.4 instead takes them in the mount's charset (ISO-8859-1 by default),
 * so a UTF-8 {@code Café} sent without {@code charset} shows there as {@code CafÃ©}; Floe shows
 * {@code Café}. ASCII and Latin-1 senders get the same title on both. Other parameters are
 * decoded the same way (UTF-8, else ISO-8859-1).
 *
 * <p>Recognised: {@code /admin/} + {@code stats}, {@code stats.xml}, {@code listmounts},
 * {@code listclients}, {@code metadata}, {@code killclient}, {@code killsource},
 * {@code moveclients}, {@code fallbacks}, {@code streamlist.txt}; each (but
 * {@code streamlist.txt}, {@code stats.xml} and {@code fallbacks}) also with {@code .json}; and
 * {@code /admin.cgi} (SHOUTcast metadata: {@code mode} and {@code song} required, {@code pass}
 * carries the source password). Also {@code manageauth} (by {@code mount} or Icecast 2.5's
 * {@code id}; {@code action=add|delete}, {@code username}, {@code password}), {@code buildm3u}
 * ({@code username}, {@code password}, {@code mount}), {@code updatemetadata} (a form), and the
 * admin page at {@code /admin/} (also at {@code stats.xsl} and {@code listmounts.xsl}, Icecast's
 * admin HTML views). The other {@code .xsl} views and {@code reloadconfig} are answered as
 * unrecognised.
 */
public final class AdminRequest {

  /** The response format a request asked for. */
  public enum Format {
    /** Icecast 2.4.4 XML ({@link AdminXml}). */
    XML,
    /** Icecast 2.5 JSON ({@link AdminJson}), from a {@code .json} command. */
    JSON,
    /** Plain text ({@code streamlist.txt}). */
    TEXT,
    /** HTML ({@code fallbacks}, {@code /admin.cgi}; see {@link AdminHtml}). */
    HTML
  }

  /** The outcome of {@link #parse}. */
  public sealed interface Result {}

  /**
   * A valid request.
   *
   * @param command what to do
   * @param format how to answer
   * @param queryPassword the {@code pass=} parameter of {@code /admin.cgi} (the source
   *     password), {@code null} for the other commands, which use Basic auth
   */
  public record Parsed(AdminCommand command, Format format, String queryPassword)
      implements Result {}

  /**
   * A request icecast2 answers with an error page ({@link AdminHtml#error(int, String)}).
   *
   * @param status the HTTP status (400)
   * @param message the text, one of {@link AdminMessages}
   */
  public record Rejected(int status, String message) implements Result {
    /** The HTML error body icecast2 sends. */
    public String body() {
      return AdminHtml.error(status, message);
    }
  }

  /** The mount {@code /admin.cgi} updates when none is configured (Icecast's default). */
  public static final String DEFAULT_SHOUTCAST_MOUNT = "/stream";

  private AdminRequest() {}

  /** {@link #parse(String, String, Predicate, String)} with the default SHOUTcast mount. */
  public static Result parse(String path, String rawQuery, Predicate<String> mountExists) {
    return parse(path, rawQuery, mountExists, DEFAULT_SHOUTCAST_MOUNT);
  }

  /**
   * Parses one request.
   *
   * @param path the request path without the query, e.g. {@code /admin/metadata}
   * @param rawQuery the query after {@code ?}, still percent-encoded; {@code null} or empty when
   *     none
   * @param mountExists whether a mount (or destination) names a live source
   * @param shoutcastMount the mount {@code /admin.cgi} updates
   * @return {@link Parsed} or {@link Rejected}
   */
  public static Result parse(String path, String rawQuery, Predicate<String> mountExists,
      String shoutcastMount) {
    return parse(path, rawQuery, mountExists, shoutcastMount, m -> null);
  }

  /**
   * {@link #parse(String, String, Predicate, String)} where a metadata update without {@code
   * charset=} is decoded in its mount's charset ({@code mountCharsets}, Icecast's {@code
   * <charset>}) when that gives one, else as UTF-8 when valid, else ISO-8859-1.
   */
  public static Result parse(String path, String rawQuery, Predicate<String> mountExists,
      String shoutcastMount, java.util.function.Function<String, Charset> mountCharsets) {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(mountExists, "mountExists");
    Map<String, byte[]> q = query(rawQuery);
    if (path.equals("/admin.cgi")) {
      return shoutcast(q, mountExists, shoutcastMount, mountCharsets.apply(shoutcastMount));
    }
    if (!path.startsWith("/admin/")) {
      return reject(AdminMessages.UNRECOGNISED_COMMAND);
    }
    String name = path.substring("/admin/".length());
    Format format = Format.XML;
    if (name.endsWith(".json")) {
      name = name.substring(0, name.length() - ".json".length());
      format = Format.JSON;
      if (!name.equals("stats") && !name.equals("listmounts") && !name.equals("listclients")
          && !name.equals("metadata") && !name.equals("killclient")
          && !name.equals("killsource") && !name.equals("moveclients")) {
        return reject(AdminMessages.UNRECOGNISED_COMMAND);
      }
    }
    if (format == Format.XML) {
      Result extra = icecastPages(name, q);
      if (extra != null) {
        return extra;
      }
    }
    boolean mountCommand;
    switch (name) {
      case "stats", "stats.xml", "listmounts", "streamlist.txt" -> mountCommand = false;
      case "listclients", "metadata", "killclient", "killsource", "moveclients", "fallbacks",
          "updatemetadata" -> mountCommand = true;
      default -> {
        return reject(AdminMessages.UNRECOGNISED_COMMAND);
      }
    }
    String mount = text(q.get("mount"));
    if (mount == null && mountCommand) {
      return reject(AdminMessages.UNKNOWN_ADMIN_REQUEST);
    }
    if (mount != null && !mountExists.test(mount)) {
      return reject(AdminMessages.SOURCE_DOES_NOT_EXIST);
    }
    switch (name) {
      case "stats", "stats.xml" -> {
        return new Parsed(new AdminCommand.Stats(mount), format, null);
      }
      case "listmounts" -> {
        return new Parsed(new AdminCommand.ListMounts(), format, null);
      }
      case "streamlist.txt" -> {
        return new Parsed(new AdminCommand.StreamList(), Format.TEXT, null);
      }
      case "listclients" -> {
        return new Parsed(new AdminCommand.ListClients(mount), format, null);
      }
      case "killsource" -> {
        return new Parsed(new AdminCommand.KillSource(mount), format, null);
      }
      case "updatemetadata" -> {
        return new Parsed(new AdminCommand.UpdateMetadataForm(mount), Format.HTML, null);
      }
      case "killclient" -> {
        String id = text(q.get("id"));
        if (id == null) {
          return reject(AdminMessages.MISSING_PARAMETER);
        }
        return new Parsed(new AdminCommand.KillClient(mount, atoi(id)), format, null);
      }
      case "fallbacks" -> {
        String fallback = text(q.get("fallback"));
        if (fallback == null) {
          return reject(AdminMessages.MISSING_PARAMETER);
        }
        return new Parsed(new AdminCommand.Fallbacks(mount, fallback), Format.HTML, null);
      }
      case "moveclients" -> {
        String destination = text(q.get("destination"));
        if (destination != null) {
          if (!mountExists.test(destination)) {
            return reject(AdminMessages.NO_SUCH_DESTINATION);
          }
          if (destination.equals(mount)) {
            return reject(AdminMessages.IDENTICAL_MOUNTS);
          }
        }
        return new Parsed(new AdminCommand.MoveClients(mount, destination), format, null);
      }
      default -> {
        return metadata(mount, q, format, mountCharsets.apply(mount));
      }
    }
  }

  /**
   * The commands whose mount need not be live: {@code manageauth}, {@code buildm3u}, and the
   * admin page ({@code /admin/}, {@code /admin/index.html}, and Icecast's admin HTML views
   * {@code stats.xsl} and {@code listmounts.xsl}, which bookmarks lead to); null for the others.
   */
  private static Result icecastPages(String name, Map<String, byte[]> q) {
    switch (name) {
      case "", "index.html", "stats.xsl", "listmounts.xsl" -> { // Icecast's admin HTML views
        return new Parsed(new AdminCommand.AdminPage(), Format.HTML, null);
      }
      case "buildm3u" -> {
        String user = text(q.get("username"));
        String password = text(q.get("password"));
        String mount = text(q.get("mount"));
        if (user == null || password == null || mount == null) {
          return reject(AdminMessages.MISSING_PARAMETER);
        }
        return new Parsed(new AdminCommand.BuildM3u(mount, user, password), Format.TEXT, null);
      }
      case "manageauth" -> {
        String mount = text(q.get("mount"));
        String id = text(q.get("id"));
        if (mount == null && id == null) {
          return reject(AdminMessages.UNKNOWN_ADMIN_REQUEST);
        }
        String action = text(q.get("action"));
        String user = text(q.get("username"));
        if (action != null && !action.equals("add") && !action.equals("delete")) {
          return reject(AdminMessages.NO_SUCH_ACTION);
        }
        if (action != null && (user == null
            || (action.equals("add") && q.get("password") == null))) {
          return reject(AdminMessages.MISSING_PARAMETER);
        }
        return new Parsed(new AdminCommand.ManageAuth(mount, mount != null ? null : atoi(id),
            action, user, text(q.get("password"))), Format.XML, null);
      }
      default -> {
        return null;
      }
    }
  }

  private static Result metadata(String mount, Map<String, byte[]> q, Format format,
      Charset mountCharset) {
    String mode = text(q.get("mode"));
    if (mode == null) {
      return reject(AdminMessages.MISSING_PARAMETER);
    }
    if (!mode.equals("updinfo")) {
      return new Parsed(new AdminCommand.MetadataNoSuchAction(mount, mode), format, null);
    }
    Charset asked = charset(text(q.get("charset")));
    Charset charset = asked != null ? asked : mountCharset;
    return new Parsed(new AdminCommand.UpdateMetadata(mount,
        decode(q.get("song"), charset), decode(q.get("artist"), charset),
        decode(q.get("title"), charset), charset, false), format, null);
  }

  private static Result shoutcast(Map<String, byte[]> q, Predicate<String> mountExists,
      String mount, Charset mountCharset) {
    if (!mountExists.test(mount)) {
      return reject(AdminMessages.SOURCE_DOES_NOT_EXIST);
    }
    String mode = text(q.get("mode"));
    if (mode == null || q.get("song") == null) {
      return reject(AdminMessages.MISSING_PARAMETER);
    }
    if (!mode.equals("updinfo")) {
      return reject(AdminMessages.NO_SUCH_ACTION);
    }
    Charset asked = charset(text(q.get("charset")));
    Charset charset = asked != null ? asked : mountCharset;
    return new Parsed(new AdminCommand.UpdateMetadata(mount, decode(q.get("song"), charset),
        null, null, charset, true), Format.HTML, text(q.get("pass")));
  }

  private static Rejected reject(String message) {
    return new Rejected(400, message);
  }

  /** The charset a {@code charset=} value names, or {@code null} (auto: UTF-8, else Latin-1). */
  private static Charset charset(String name) {
    if (name == null || name.isEmpty()) {
      return null;
    }
    try {
      return Charset.forName(name.trim());
    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
      return null;
    }
  }

  private static String decode(byte[] bytes, Charset charset) {
    if (bytes == null) {
      return null;
    }
    if (charset != null) {
      return new String(bytes, charset);
    }
    return text(bytes);
  }

  /** UTF-8 when valid, else ISO-8859-1; {@code null} stays {@code null}. */
  static String text(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
  }

  /** Splits and percent-decodes a query; the last of repeated names wins. */
  static Map<String, byte[]> query(String raw) {
    Map<String, byte[]> out = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String part : raw.split("&", -1)) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      String name = text(unescape(eq < 0 ? part : part.substring(0, eq)));
      byte[] value = eq < 0 ? new byte[0] : unescape(part.substring(eq + 1));
      out.put(name, value);
    }
    return out;
  }

  /** Percent-decoding with {@code +} as space; a malformed escape is kept literally. */
  static byte[] unescape(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c == '+') {
        out.write(' ');
      } else if (c == '%' && i + 2 < n && hex(s.charAt(i + 1)) >= 0
          && hex(s.charAt(i + 2)) >= 0) {
        out.write(hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2)));
        i += 2;
      } else if (c < 0x80) {
        out.write(c);
      } else {
        int cp = s.codePointAt(i);
        i += Character.charCount(cp) - 1;
        byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
      }
    }
    return out.toByteArray();
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  /** C's {@code atoi}: leading blanks, a sign, digits; 0 when none. */
  static long atoi(String s) {
    return AdminJson.strtoll(s);
  }
}
