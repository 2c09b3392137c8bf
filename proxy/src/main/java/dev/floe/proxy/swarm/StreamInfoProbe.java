package dev.floe.proxy.swarm;

import dev.floe.icy.head.Headers;
import dev.floe.proxy.mount.StreamInfo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns a peer mount's stream description (content type, {@code icy-*}) with one {@code HEAD}
 * of the fallback URL at start, so players of a peer get the origin's {@code Content-Type} and
 * names even before any direct pull. Asynchronous; a failure only means the peer guesses.
 */
final class StreamInfoProbe {
  private static final Logger log = LoggerFactory.getLogger(StreamInfoProbe.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private StreamInfoProbe() {}

  /** The description the server at {@code url} announces, or null when it does not answer 200. */
  static CompletableFuture<StreamInfo> probe(URI url, String userAgent) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT)
        .version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest req = HttpRequest.newBuilder(url).timeout(TIMEOUT)
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).header("User-Agent", userAgent)
        .build();
    return client.sendAsync(req, HttpResponse.BodyHandlers.discarding()).handle((r, e) -> {
      if (e != null || r.statusCode() != 200) {
        log.debug("HEAD {}: {}", url, e != null ? e.toString() : r.statusCode());
        return null;
      }
      Headers.Builder b = Headers.builder();
      for (Map.Entry<String, List<String>> h : r.headers().map().entrySet()) {
        for (String v : h.getValue()) {
          b.add(h.getKey(), v);
        }
      }
      return StreamInfo.fromUpstream(b.build());
    });
  }
}
