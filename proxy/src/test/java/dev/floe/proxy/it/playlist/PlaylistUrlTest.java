package dev.floe.proxy.it.playlist;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.floe.proxy.it.support.FfmpegPlayer;
import dev.floe.proxy.it.support.FloeServer;
import dev.floe.proxy.it.support.TestDirs;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * A playlist whose entries are http URLs on a plain web server (the JDK's, on loopback), with one
 * entry that the server answers 404: the player decodes the good items with their titles, and the
 * bad one is skipped.
 */
class PlaylistUrlTest {
  @Test
  void shouldPlayHttpEntriesAndSkipOneThatFails() throws Exception {
    Path dir = TestDirs.create("playlist-url");
    Media.tone(dir, "1.mp3", "Web One", 440, 3, 32);
    Media.tone(dir, "2.mp3", "Web Two", 550, 3, 32);
    Set<String> served = ConcurrentHashMap.newKeySet();
    HttpServer web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    web.createContext("/", exchange -> {
      Path file = dir.resolve(exchange.getRequestURI().getPath().substring(1));
      if (!Files.isRegularFile(file)) {
        exchange.sendResponseHeaders(404, -1);
        exchange.close();
        return;
      }
      byte[] body = Files.readAllBytes(file);
      exchange.getResponseHeaders().set("Content-Type", "audio/mpeg");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
      served.add(file.getFileName().toString());
    });
    web.start();
    try {
      String base = "http://127.0.0.1:" + web.getAddress().getPort() + "/";
      Path m3u = Files.writeString(dir.resolve("web.m3u"),
          "#EXTM3U\n" + base + "1.mp3\n" + base + "missing.mp3\n" + base + "2.mp3\n");
      try (FloeServer floe = FloeServer.start("mounts = [ { path = \"/pl\", playlist = \""
          + m3u + "\", burst-size = 8KiB, listener-delay = 0, metaint = 2000 } ]");
          FfmpegPlayer player = PlaylistPlaybackTest.awaitLive(floe)
              ? FfmpegPlayer.builder(floe.url("/pl")).icy(true)
                  .maxDuration(Duration.ofSeconds(5)).workDir(dir).start() : null) {
        assertThat(player.awaitExit(Duration.ofSeconds(30))).as(player.stderr()).isZero();

        assertThat(player.decodeErrors()).isEmpty();
        assertThat(player.decodedDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(4500));
        assertThat(player.icyTitles()).contains("Tester - Web One", "Tester - Web Two");
        assertThat(served).contains("1.mp3", "2.mp3");
      }
    } finally {
      web.stop(0);
    }
  }
}
