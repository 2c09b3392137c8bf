package dev.floe.proxy.it.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeProcess;
import dev.floe.proxy.it.support.PlayerBuffer;
import dev.floe.proxy.it.support.RawListener;
import dev.floe.proxy.it.support.RawSource;
import dev.floe.proxy.it.support.TestDirs;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Memory is a budget (issue 16): a real {@code floe} process with 24 MiB of direct memory, a
 * station's {@code /live} source with a player, and 48 short shows on their own mounts, eight at
 * a time, each pushing more than its 2 MiB buffer. Buffers of departed sources are released and
 * their mounts unlisted after {@code source-grace}; while eight shows run at once the budget is
 * tight, so buffers are shrunk or refused with a log line and a metric; the live player never
 * stalls and the process lives. Before, every dead mount kept its buffer until an
 * OutOfMemoryError cut the station's own source. And when memory does run out (a budget
 * configured above the JVM's direct memory), the process exits with status 3 and a clear line.
 */
class MemoryBudgetProcessTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void departedSourcesGiveTheirMemoryBackAndTheLiveMountPlaysOn() throws Exception {
    try (FloeProcess floe = FloeProcess.start(TestDirs.create("memory-budget"), """
            server { source-password = "pw", sources-create-mounts = true }
            mount-defaults { buffer-size = 2MiB, source-grace = 1s }
            mounts = [ { path = "/live" } ]
            """, List.of("-XX:MaxDirectMemorySize=24m"));
        FfmpegSource live = FfmpegSource.builder(FfmpegSource.Format.MP3, floe.url("/live"))
            .password("pw").start()) {
      PlayerBuffer player = PlayerBuffer.oneSecond(16_000);
      try (RawListener l = await().atMost(WAIT).ignoreExceptions().until(() -> RawListener
          .builder(floe.port(), "/live").player(player).open(), r -> r.status() == 200)) {
        await().atMost(WAIT).until(player::playing);
        byte[] show = show(3 * 1024 * 1024);
        List<String> answers = new ArrayList<>();
        for (int round = 0; round < 6; round++) {
          List<RawSource> sources = new ArrayList<>();
          for (int i = 0; i < 8; i++) {
            RawSource s = new RawSource(floe.port());
            s.send("PUT /show-" + round + "-" + i + " HTTP/1.0\r\nAuthorization: "
                + RawSource.basic("source", "pw") + "\r\nContent-Type: audio/mpeg\r\n\r\n");
            sources.add(s);
          }
          for (RawSource s : sources) {
            String head = s.readHead();
            answers.add(head.lines().findFirst().orElse(""));
            if (head.startsWith("HTTP/1.0 200")) {
              s.send(show);
            }
          }
          sources.forEach(RawSource::close);
          // Each round's mounts are released and unlisted once their grace has passed.
          int r = round;
          await().atMost(WAIT).until(() -> !floe.statusJson().contains("/show-" + r + "-"));
          assertThat(player.stalls()).as("the live player: " + player).isEmpty();
        }
        assertThat(answers).as("every show got 200 or 503").allMatch(
            a -> a.startsWith("HTTP/1.0 200") || a.startsWith("HTTP/1.0 503"));
        long shrunk = floe.metric("floe_buffers_shrunk_total");
        long refused = floe.metric("floe_buffers_refused_total");
        assertThat(shrunk + refused).as("the budget was tight while eight shows ran").isPositive();
        assertThat(answers.stream().filter(a -> a.startsWith("HTTP/1.0 503")).count())
            .isEqualTo(refused);
        assertThat(floe.metric("floe_buffer_reserved_bytes")).as("only /live holds memory")
            .isEqualTo(2 * 1024 * 1024);
        assertThat(floe.log()).contains("back buffer released", "unlisted",
            "back buffer shrunk from", "no memory for a back buffer");
        assertThat(floe.isAlive()).isTrue();
        assertThat(l.connected()).isTrue();
        assertThat(player.stalls()).as("the live player: " + player).isEmpty();
      }
    }
  }

  @Test
  void whenDirectMemoryRunsOutTheProcessExitsWithAClearMessage() {
    try (FloeProcess floe = FloeProcess.start(TestDirs.create("memory-exhausted"), """
            server { source-password = "pw", sources-create-mounts = true,
                     buffer-memory = 256MiB }
            mount-defaults { buffer-size = 128MiB, max-lag = 512KiB }
            """, List.of("-XX:MaxDirectMemorySize=8m"));
        RawSource s = new RawSource(floe.port())) {
      s.send("PUT /big HTTP/1.0\r\nAuthorization: " + RawSource.basic("source", "pw")
          + "\r\nContent-Type: audio/mpeg\r\n\r\n");
      assertThat(s.readHead()).startsWith("HTTP/1.0 200");
      byte[] show = show(1024 * 1024);
      try {
        for (int i = 0; i < 64 && floe.isAlive(); i++) { // bounded: 64 MiB at most
          s.send(show);
        }
      } catch (UncheckedIOException e) {
        // the process went away while we pushed: expected
      }
      await().atMost(WAIT).until(() -> !floe.isAlive());
      assertThat(floe.exitCode()).as(floe.logTail(3000)).isEqualTo(3);
      assertThat(floe.log()).contains("buffer-memory 256.0 MiB is more than the JVM's direct"
          + " memory", "out of memory (", "exiting with status 3");
    }
  }

  /** About {@code bytes} of real MP3 (the RawSource tone, repeated). */
  private static byte[] show(int bytes) {
    byte[] tone = RawSource.mp3();
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes + tone.length);
    while (out.size() < bytes) {
      out.write(tone, 0, tone.length);
    }
    return out.toByteArray();
  }


}
