package dev.floe.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.proxy.it.support.FloeServer;
import dev.floe.proxy.it.support.RawListener;
import dev.floe.proxy.it.support.ScriptedUpstream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A mount that expects audio but has none yet holds a new listener (no answer at all) until the
 * first audio, then serves it; only after {@code start-hold} does it answer 404 as Icecast would.
 * Before (issue 14), a relay or swarm peer that was starting answered 404 at once, and most
 * players never retry after a 404; a source connected but silent left the listener with no
 * answer until the source timed out (issue 16).
 */
class StartHoldTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  /** Paced MP3 at about the stream's rate, until the client hangs up (at most a minute). */
  private static void stream(OutputStream out) throws IOException {
    byte[] frames = ScriptedUpstream.mp3Frames(8);
    for (int i = 0; i < 300; i++) {
      out.write(frames);
      out.flush();
      try {
        TimeUnit.MILLISECONDS.sleep(200); // pacing the fake encoder, not synchronisation
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static CompletableFuture<RawListener> listen(FloeServer floe, String path) {
    return CompletableFuture.supplyAsync(() -> RawListener.builder(floe.port(), path)
        .timeout(WAIT).open());
  }

  @Test
  void aRelayThatIsStartingHoldsItsListenerUntilTheFirstAudio() throws Exception {
    CountDownLatch answer = new CountDownLatch(1);
    try (ScriptedUpstream up = ScriptedUpstream.start((n, head, out) -> {
          try {
            answer.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          out.write("HTTP/1.0 200 OK\r\nContent-Type: audio/mpeg\r\n\r\n"
              .getBytes(StandardCharsets.ISO_8859_1));
          stream(out);
        });
        FloeServer floe = FloeServer.relay("http://127.0.0.1:" + up.port() + "/live", "/live",
            "")) {
      await().atMost(WAIT).until(() -> !up.requests().isEmpty());
      CompletableFuture<RawListener> held = listen(floe, "/live");
      // the mount has no audio: the listener is neither refused nor answered
      await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
          .until(() -> !held.isDone());

      answer.countDown();
      try (RawListener l = held.get(WAIT.toSeconds(), TimeUnit.SECONDS)) {
        assertThat(l.status()).isEqualTo(200);
        await().atMost(WAIT).until(() -> l.audioBytes() > 8 * 417);
      }
    }
  }

  @Test
  void aMountWhoseAudioNeverComesAnswers404AfterTheHold() throws Exception {
    try (ScriptedUpstream up = ScriptedUpstream.start((n, head, out) -> { });
        FloeServer floe = FloeServer.relay("http://127.0.0.1:" + up.port() + "/live", "/live",
            ", start-hold = 1500ms")) {
      long t0 = System.nanoTime();
      try (RawListener l = RawListener.builder(floe.port(), "/live").timeout(WAIT).open()) {
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(l.status()).isEqualTo(404);
        assertThat(ms).as("answered after the hold").isBetween(1400L, 8000L);
      }
    }
  }

  @Test
  void aListenerOfASourceThatStaysSilentIsAnsweredAfterTheHold() throws Exception {
    // issue 16 item 5: this listener used to get no answer for 19 s, then a close
    try (FloeServer floe = FloeServer.start("mounts = [ { path = \"/live\", start-hold = 1500ms } ]");
        Socket source = new Socket(InetAddress.getLoopbackAddress(), floe.port())) {
      connectSilentSource(floe, source);
      long t0 = System.nanoTime();
      try (RawListener l = RawListener.builder(floe.port(), "/live").timeout(WAIT).open()) {
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(l.status()).as("answered as icecast2 answers, once the hold ends")
            .isEqualTo(200);
        assertThat(ms).as("answered after the hold, not 19 s later").isBetween(1400L, 4000L);
      }
    }
  }

  @Test
  void aSourceMountWithASilentSourceHoldsTheListenerUntilItsFirstAudio() throws Exception {
    try (FloeServer floe = FloeServer.start("mounts = [ { path = \"/live\" } ]");
        Socket source = new Socket(InetAddress.getLoopbackAddress(), floe.port())) {
      OutputStream out = connectSilentSource(floe, source);

      CompletableFuture<RawListener> held = listen(floe, "/live");
      await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
          .until(() -> !held.isDone());
      CompletableFuture<Void> encoder = CompletableFuture.runAsync(() -> {
        try {
          stream(out);
        } catch (IOException e) {
          // the test closed the source
        }
      });
      try (RawListener l = held.get(WAIT.toSeconds(), TimeUnit.SECONDS)) {
        assertThat(l.status()).isEqualTo(200);
        await().atMost(WAIT).until(() -> l.audioBytes() > 8 * 417);
      } finally {
        source.close();
        encoder.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      }
    }
  }

  /** Connects {@code source} to {@code /live} as an encoder that has sent no audio yet. */
  private static OutputStream connectSilentSource(FloeServer floe, Socket source)
      throws IOException {
    OutputStream out = source.getOutputStream();
    out.write(("PUT /live HTTP/1.1\r\nHost: x\r\nAuthorization: Basic "
        + Base64.getEncoder().encodeToString("source:hackme".getBytes(StandardCharsets.UTF_8))
        + "\r\nContent-Type: audio/mpeg\r\nExpect: 100-continue\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    await().atMost(WAIT).until(() -> floe.mount("/live").hasSource());
    return out;
  }
}
