package dev.floe.proxy.it.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeProcess;
import dev.floe.proxy.it.support.IcecastServer;
import dev.floe.proxy.it.support.RawListener;
import dev.floe.proxy.it.support.ScriptedUpstream;
import dev.floe.proxy.it.support.TestDirs;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Upstream URLs as people paste them: {@code floe relay} given a {@code .pls} served by a small
 * web server, icecast2's own {@code /live.m3u} and {@code /live.xspf}, and an HTML page. The
 * playlists resolve to a real icecast2 mount fed by ffmpeg and players get its audio; the page
 * is refused with one log line and a growing delay, and players get 404, never the page.
 */
class PlaylistUpstreamTest {
  private static final Duration LIVE = Duration.ofSeconds(20);

  /** An HTTP/1.0 answer with a body, then the connection closed (as a web server does). */
  private static void answer(OutputStream out, String type, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    out.write(("HTTP/1.0 200 OK\r\nContent-Type: " + type + "\r\nContent-Length: " + b.length
        + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.write(b);
    out.close();
  }

  /** Waits for a player on {@code mount} to get 64 KiB of MP3 frames (not playlist text). */
  private static void playerGetsAudio(FloeProcess floe, String mount) {
    await().atMost(LIVE).until(() -> floe.statusJson()
        .contains("\"floe_mount\":\"" + mount + "\",\"floe_live\":true"));
    try (RawListener l = RawListener.builder(floe.port(), mount).icyMetadata(false)
        .captureBytes(4096).timeout(LIVE).open()) {
      assertThat(l.status()).as("status of %s", mount).isEqualTo(200);
      assertThat(l.headers().get("content-type")).isEqualTo("audio/mpeg");
      await().atMost(LIVE).until(() -> l.audioBytes() > 64 * 1024);
      byte[] first = l.captured();
      boolean sync = false;
      for (int i = 0; i + 1 < first.length && !sync; i++) {
        sync = (first[i] & 0xFF) == 0xFF && (first[i + 1] & 0xE0) == 0xE0;
      }
      assertThat(sync).as("MP3 frame sync in the first bytes").isTrue();
      assertThat(new String(first, StandardCharsets.ISO_8859_1)).doesNotContain("[playlist]")
          .doesNotContain("#EXTM3U").doesNotContain("<playlist");
    }
  }

  @Test
  void plsM3uAndXspfLinksResolveToTheStationsMount() throws Exception {
    try (IcecastServer ice = IcecastServer.start(TestDirs.create("playlist-upstream-ice"));
        FfmpegSource src = FfmpegSource.mp3(ice.url("/live"))) {
      ice.awaitMount("/live", LIVE);
      String pls = "[playlist]\nNumberOfEntries=2\nFile1=" + ice.url("/live")
          + "\nTitle1=Live\nLength1=-1\nFile2=" + ice.url("/backup") + "\nVersion=2\n";
      try (ScriptedUpstream web = ScriptedUpstream.start(
              (n, head, out) -> answer(out, "audio/x-scpls", pls));
          FloeProcess floe = FloeProcess.relayCommand(TestDirs.create("playlist-upstream-pls"),
              List.of("http://127.0.0.1:" + web.port() + "/listen.pls"))) {
        // The mount is named from the stream (/live), not from the playlist file.
        floe.awaitLive(LIVE);
        playerGetsAudio(floe, "/live");
        assertThat(floe.log()).contains("is a playlist; relaying its 2 stream(s) in order: ["
            + ice.url("/live") + ", " + ice.url("/backup") + "]");
        assertThat(floe.statusString("floe_upstream")).isEqualTo(ice.url("/live"));
      }
      // icecast2's own playlist links for the mount.
      try (FloeProcess floe = FloeProcess.start(TestDirs.create("playlist-upstream-ice-links"),
          "mounts = [ { path = \"/m3u\", upstreams = [\"" + ice.url("/live.m3u") + "\"] },\n"
              + "  { path = \"/xspf\", upstreams = [\"" + ice.url("/live.xspf") + "\"] } ]")) {
        playerGetsAudio(floe, "/m3u");
        playerGetsAudio(floe, "/xspf");
        assertThat(floe.log()).contains(ice.url("/live.m3u") + " is a playlist")
            .contains(ice.url("/live.xspf") + " is a playlist");
      }
      // floe relay given icecast2's .m3u link, as a listener copies it from the status page.
      try (FloeProcess floe = FloeProcess.relayCommand(TestDirs.create("playlist-upstream-m3u"),
          List.of(ice.url("/live.m3u")))) {
        playerGetsAudio(floe, "/live");
      }
    }
  }

  @Test
  void anHtmlPageIsRefusedWithOneLogLineAndAGrowingDelay() throws Exception {
    List<Long> connections = new CopyOnWriteArrayList<>();
    String page = "<!DOCTYPE html>\n<html><head><title>Radio</title></head><body>"
        + "<p>Listen to our station!</p></body></html>\n";
    try (ScriptedUpstream web = ScriptedUpstream.start((n, head, out) -> {
          connections.add(System.nanoTime());
          answer(out, "text/html; charset=utf-8", page);
        });
        FloeProcess floe = FloeProcess.relayCommand(TestDirs.create("playlist-upstream-html"),
            List.of("http://127.0.0.1:" + web.port() + "/index.html", "--mount", "/radio"))) {
      await().atMost(LIVE).until(() -> connections.size() >= 2);
      // Refusals skip the fast start and draw from the upper half of a 2 s ceiling: no second
      // attempt within 900 ms, and (the next ceiling being 8 s) at most 3 in 5 s.
      assertThat(connections.get(1) - connections.get(0)).isGreaterThan(900_000_000L);
      long first = connections.get(0);
      await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(
          () -> connections.stream().filter(t -> t - first < 5_000_000_000L).count() <= 3);
      Matcher m = Pattern.compile("answered text/html \\(an HTML page\\), not audio")
          .matcher(floe.log());
      int lines = 0;
      while (m.find()) {
        lines++;
      }
      assertThat(lines).as("log lines about the page\n" + floe.logTail(3000)).isEqualTo(1);
      try (RawListener l = RawListener.builder(floe.port(), "/radio").timeout(LIVE).open()) {
        assertThat(l.status()).isEqualTo(404);
      }
      assertThat(floe.statusJson()).doesNotContain("/radio"); // never live: not listed
    }
  }
}
