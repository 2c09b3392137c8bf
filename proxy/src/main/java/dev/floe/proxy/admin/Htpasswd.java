package dev.floe.proxy.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listener users file in Icecast's htpasswd format: one {@code user:hash} line per user, the
 * hash being the lower-case hex MD5 of the password (Icecast's {@code auth_htpasswd}, not
 * Apache's). The file is read again when its modification time or size changes, so an edit by
 * hand takes effect at the next listener; {@link #add} and {@link #delete} rewrite it through a
 * temporary file and a rename. A file over 1 MiB, or a missing one, has no users (logged).
 * Thread-safe; one instance per file ({@link #of}).
 */
public final class Htpasswd {
  private static final Logger log = LoggerFactory.getLogger(Htpasswd.class);
  /** Largest users file read. */
  static final long MAX_BYTES = 1024 * 1024;
  private static final Map<Path, Htpasswd> FILES = new ConcurrentHashMap<>();

  /** What {@link #add} or {@link #delete} did. */
  public enum Change {
    /** The user was added. */
    ADDED,
    /** The user already existed: nothing changed. */
    EXISTS,
    /** The user was deleted. */
    DELETED,
    /** There was no such user: nothing changed. */
    NOT_FOUND
  }

  private final Path file;
  private Map<String, String> users = Map.of();
  private FileTime readTime;
  private long readSize = -1;

  private Htpasswd(Path file) {
    this.file = file;
  }

  /** The one instance for {@code file} (relative paths from the working directory). */
  public static Htpasswd of(Path file) {
    Path key = file.toAbsolutePath().normalize();
    return FILES.computeIfAbsent(key, Htpasswd::new);
  }

  /** The file. */
  public Path file() {
    return file;
  }

  /** Whether {@code user} is listed with {@code password}. */
  public synchronized boolean check(String user, String password) {
    if (user == null || password == null) {
      return false;
    }
    String hash = current().get(user);
    return hash != null && MessageDigest.isEqual(hash.getBytes(StandardCharsets.US_ASCII),
        hash(password).getBytes(StandardCharsets.US_ASCII));
  }

  /** The user names, in file order. */
  public synchronized List<String> users() {
    return List.copyOf(current().keySet());
  }

  /**
   * Adds {@code user} with {@code password}.
   *
   * @throws IllegalArgumentException when the name is empty or has {@code :} or a control
   *     character, or the password is empty or has a line break
   * @throws IOException when the file cannot be written
   */
  public synchronized Change add(String user, String password) throws IOException {
    if (!validUser(user) || password == null || password.isEmpty()
        || password.indexOf('\n') >= 0 || password.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("a user name without ':' and a password are needed");
    }
    Map<String, String> next = new LinkedHashMap<>(current());
    if (next.containsKey(user)) {
      return Change.EXISTS;
    }
    next.put(user, hash(password));
    write(next);
    return Change.ADDED;
  }

  /** Deletes {@code user}. @throws IOException when the file cannot be written */
  public synchronized Change delete(String user) throws IOException {
    Map<String, String> next = new LinkedHashMap<>(current());
    if (user == null || next.remove(user) == null) {
      return Change.NOT_FOUND;
    }
    write(next);
    return Change.DELETED;
  }

  /** Whether {@code user} can be a line's name. */
  static boolean validUser(String user) {
    return user != null && !user.isEmpty() && user.indexOf(':') < 0
        && user.chars().noneMatch(c -> c < ' ' || c == 0x7F);
  }

  /** Icecast's password hash: lower-case hex MD5 of the UTF-8 bytes. */
  static String hash(String password) {
    try {
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      return HexFormat.of().formatHex(md5.digest(password.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is required of every JDK", e);
    }
  }

  private Map<String, String> current() {
    FileTime time;
    long size;
    try {
      time = Files.getLastModifiedTime(file);
      size = Files.size(file);
    } catch (NoSuchFileException e) {
      users = Map.of();
      readTime = null;
      readSize = -1;
      return users;
    } catch (IOException e) {
      log.warn("htpasswd {}: cannot read: {}", file, e.getMessage());
      return users;
    }
    if (time.equals(readTime) && size == readSize) {
      return users;
    }
    readTime = time;
    readSize = size;
    if (size > MAX_BYTES) {
      log.warn("htpasswd {}: over {} bytes, not read: no listener can log in", file, MAX_BYTES);
      users = Map.of();
      return users;
    }
    try {
      users = parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      log.warn("htpasswd {}: cannot read: {}", file, e.getMessage());
      users = Map.of();
    }
    return users;
  }

  /** The {@code user:hash} lines of a file; other lines are skipped. */
  static Map<String, String> parse(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : text.split("\r?\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && colon < line.length() - 1) {
        out.putIfAbsent(line.substring(0, colon), line.substring(colon + 1).trim());
      }
    }
    return out;
  }

  private void write(Map<String, String> next) throws IOException {
    StringBuilder text = new StringBuilder();
    next.forEach((u, h) -> text.append(u).append(':').append(h).append('\n'));
    Path dir = Objects.requireNonNullElse(file.toAbsolutePath().getParent(), Path.of("."));
    Path tmp = Files.createTempFile(dir, ".htpasswd", ".tmp");
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
    users = new LinkedHashMap<>(next);
    readTime = Files.getLastModifiedTime(file);
    readSize = Files.size(file);
  }
}
