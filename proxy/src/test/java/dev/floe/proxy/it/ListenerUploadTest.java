package dev.floe.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeServer;
import dev.floe.proxy.it.support.LogCapture;
import dev.floe.proxy.it.support.RawListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A listener that uploads after its request (issue 16: four connections pushed 45 GB in 15 s
 * into a Floe that read and discarded everything) is closed after a small bound with a log line,
 * while a player on the same mount goes on.
 */
class ListenerUploadTest {
  private static final Duration LIVE = Duration.ofSeconds(15);
  private static final int MAX_SENT = 8 * 1024 * 1024;

  @Test
  void aListenerThatKeepsSendingIsClosedAndOthersPlayOn() throws Exception {
    try (FloeServer floe = FloeServer.start("""
            server { source-password = "pw" }
            mounts = [ { path = "/live" } ]
            """);
        LogCapture logs = LogCapture.capture();
        FfmpegSource src = FfmpegSource.builder(FfmpegSource.Format.MP3, floe.url("/live"))
            .password("pw").start()) {
      await().atMost(LIVE).until(() -> floe.mount("/live").buffer() != null
          && floe.mount("/live").buffer().newest() > 0);
      try (RawListener player = RawListener.builder(floe.port(), "/live").open();
          Socket uploader = new Socket("127.0.0.1", floe.port())) {
        uploader.setSoTimeout(10_000);
        OutputStream out = uploader.getOutputStream();
        out.write("GET /live HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        InputStream in = uploader.getInputStream();
        byte[] head = new byte[12];
        assertThat(in.readNBytes(head, 0, 12)).isEqualTo(12);
        assertThat(new String(head, StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.0 200");
        byte[] junk = new byte[64 * 1024];
        long sent = 0;
        try {
          while (sent < MAX_SENT) { // bounded: 8 MiB, far past what Floe may read
            out.write(junk);
            sent += junk.length;
          }
        } catch (IOException e) {
          // Floe closed the connection: what we want
        }
        assertThat(sent).as("bytes the listener could push").isLessThan(MAX_SENT);
        await().atMost(LIVE).until(() -> logs.has("/live", "dropping listener",
            "bytes after its request"));
        long before = player.audioBytes();
        await().atMost(LIVE).until(() -> player.audioBytes() > before + 16_000);
        assertThat(player.connected()).isTrue();
        assertThat(floe.mount("/live").listeners()).isEqualTo(1);
      }
    }
  }
}
