package dev.floe.proxy.it.hls;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/** Small HTTP helpers of the HLS tests: playlists, segments, admin calls. */
final class Hls {
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  private Hls() {}

  static HttpResponse<byte[]> get(String url) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
          .header("User-Agent", "floe-hls-test").build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (Exception e) {
      throw new IllegalStateException("GET " + url + " failed", e);
    }
  }

  static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  /** The segment URIs of a media playlist, oldest first. */
  static List<String> segments(String playlist) {
    return playlist.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
  }

  /** {@code /admin/metadata} as admin: the mount's title. */
  static void setTitle(int port, String mount, String title) {
    String url = "http://127.0.0.1:" + port + "/admin/metadata?mount=" + mount
        + "&mode=updinfo&song=" + java.net.URLEncoder.encode(title, StandardCharsets.UTF_8);
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
          .timeout(Duration.ofSeconds(10))
          .header("Authorization", "Basic " + Base64.getEncoder()
              .encodeToString("admin:adminpw".getBytes(StandardCharsets.UTF_8)))
          .build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new AssertionError("admin metadata: " + r.statusCode() + " " + r.body());
      }
    } catch (Exception e) {
      throw new IllegalStateException("GET " + url + " failed", e);
    }
  }
}
