package dev.floe.proxy.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * {@code floe-player.js}, the web player's script, as the build left it on the classpath: read
 * once, gzipped once, and named by a version (the first 16 hex digits of its SHA-256) so the page
 * can let browsers cache it for a year. Absent when Floe was built with {@code -Dfloe.web.skip}.
 *
 * @param plain the script
 * @param gzip the same, gzipped
 * @param version names this build of it
 */
public record PlayerScript(byte[] plain, byte[] gzip, String version) {
  /** Where the build writes the bundle. */
  public static final String RESOURCE = "/dev/floe/proxy/web/floe-player.js";

  /** The script on the classpath, or null when this build has none. */
  public static PlayerScript load() {
    try (InputStream in = PlayerScript.class.getResourceAsStream(RESOURCE)) {
      return in == null ? null : of(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static PlayerScript of(byte[] plain) {
    try {
      ByteArrayOutputStream z = new ByteArrayOutputStream(plain.length / 3);
      try (GZIPOutputStream out = new GZIPOutputStream(z)) {
        out.write(plain);
      }
      return new PlayerScript(plain, z.toByteArray(),
          DigestUtils.sha256Hex(plain).substring(0, 16));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The path the page loads it from. */
  public String path() {
    return "/floe-player.js?v=" + version;
  }
}
