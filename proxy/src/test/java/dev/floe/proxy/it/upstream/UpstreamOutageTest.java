package dev.floe.proxy.it.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.proxy.it.support.FloeProcess;
import dev.floe.proxy.it.support.ScriptedUpstream;
import dev.floe.proxy.it.support.TestDirs;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A station that plays, then stays down for ten minutes: after the first seconds each Floe node
 * connects only a few times a minute. One station drops every connection at once (a server with
 * no stream), one answers 404 (an Icecast whose source is gone), and one flaps: each connection
 * gets a few seconds of audio at once and is dropped (audio that does not last does not make the
 * retries fast again).
 *
 * <p>By default the schedule and the outage are compressed 20 times (reconnect-min 5 ms,
 * reconnect-fast 25 ms, reconnect-fast-for 0.5 s, reconnect-max 3 s; a "minute" is 3 s), so the
 * run takes 30 s. {@code -Dfloe.outage.minutes=10} runs the real schedule (the defaults) for that
 * many real minutes and logs the connections per minute.
 */
class UpstreamOutageTest {
  private static final Logger log = LoggerFactory.getLogger(UpstreamOutageTest.class);

  private static void stream(OutputStream out) throws IOException {
    out.write("HTTP/1.0 200 OK\r\nContent-Type: audio/mpeg\r\nicy-br: 128\r\n\r\n"
        .getBytes(StandardCharsets.ISO_8859_1));
    out.write(ScriptedUpstream.mp3Frames(200));
    out.close(); // the station goes down
  }

  @Test
  void aStationDownForTenMinutesGetsAFewConnectionsAMinute() throws Exception {
    String full = System.getProperty("floe.outage.minutes");
    int minutes = full == null ? 10 : Integer.parseInt(full);
    long scale = full == null ? 20 : 1;
    long minuteNanos = 60_000_000_000L / scale;
    long fastNanos = 10_000_000_000L / scale;
    List<Long> dropped = new CopyOnWriteArrayList<>();
    List<Long> missing = new CopyOnWriteArrayList<>();
    List<Long> flapping = new CopyOnWriteArrayList<>();
    String schedule = full != null ? "" : "reconnect-min = 5ms, reconnect-fast = 25ms,"
        + " reconnect-fast-for = 500ms, reconnect-max = 3s";
    try (ScriptedUpstream a = ScriptedUpstream.start((n, head, out) -> {
          if (n == 0) {
            stream(out);
          } else {
            dropped.add(System.nanoTime());
            out.close();
          }
        });
        ScriptedUpstream b = ScriptedUpstream.start((n, head, out) -> {
          if (n == 0) {
            stream(out);
          } else {
            missing.add(System.nanoTime());
            out.write("HTTP/1.0 404 File Not Found\r\nContent-Type: text/html\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1));
            out.close();
          }
        });
        ScriptedUpstream c = ScriptedUpstream.start((n, head, out) -> {
          if (n > 0) {
            flapping.add(System.nanoTime());
          }
          stream(out);
        });
        FloeProcess floe = FloeProcess.start(TestDirs.create("upstream-outage"),
            "mount-defaults { " + schedule + " }\n"
                + "mounts = [ { path = \"/dropped\", upstreams = [\"http://127.0.0.1:" + a.port()
                + "/live\"] },\n  { path = \"/missing\", upstreams = [\"http://127.0.0.1:"
                + b.port() + "/live\"] },\n  { path = \"/flapping\", upstreams = [\"http://127.0.0.1:"
                + c.port() + "/live\"] } ]")) {
      await().atMost(Duration.ofSeconds(20)).until(() -> !dropped.isEmpty() && !missing.isEmpty());
      long start = Math.min(dropped.get(0), missing.get(0));
      // While down, the status shows when the next attempt is due and why the last failed.
      String status = floe.statusJson();
      assertThat(status).contains("\"floe_next_attempt\":\"").contains("\"floe_last_failure\":");
      long end = start + minutes * minuteNanos;
      await().atMost(Duration.ofNanos(minutes * minuteNanos).plusSeconds(30))
          .pollInterval(Duration.ofMillis(200)).until(() -> System.nanoTime() > end);
      int[] perMinuteDropped = perMinute(dropped, start, minuteNanos, fastNanos, minutes);
      int[] perMinuteMissing = perMinute(missing, start, minuteNanos, fastNanos, minutes);
      int[] perMinuteFlapping = perMinute(flapping, start, minuteNanos, fastNanos, minutes);
      long fastDropped = dropped.stream().filter(t -> t - start < fastNanos).count();
      log.info("dropped station: {} connections in the first {} s, then per minute {}",
          fastDropped, 10, Arrays.toString(perMinuteDropped));
      log.info("404 station: {} connections in the first {} s, then per minute {}",
          missing.stream().filter(t -> t - start < fastNanos).count(), 10,
          Arrays.toString(perMinuteMissing));
      log.info("flapping station: {} connections in the first {} s, then per minute {}",
          flapping.stream().filter(t -> t - start < fastNanos).count(), 10,
          Arrays.toString(perMinuteFlapping));
      assertThat(fastDropped).as("fast start").isGreaterThanOrEqualTo(5);
      for (int[] counts : List.of(perMinuteDropped, perMinuteMissing, perMinuteFlapping)) {
        for (int m = 1; m < minutes; m++) {
          assertThat(counts[m]).as("connections in minute %d: %s", m, Arrays.toString(counts))
              .isLessThanOrEqualTo(8);
        }
        int total = Arrays.stream(counts, 1, minutes).sum();
        assertThat(total / (double) (minutes - 1)).as("mean per minute after the first")
            .isLessThanOrEqualTo(4.0);
      }
      assertThat(floe.isAlive()).isTrue();
    }
  }

  /** Connections per minute of the outage, leaving out the fast start. */
  private static int[] perMinute(List<Long> times, long start, long minute, long fast,
      int minutes) {
    int[] out = new int[minutes];
    for (long t : times) {
      long since = t - start;
      if (since >= fast && since < minutes * minute) {
        out[(int) (since / minute)]++;
      }
    }
    return out;
  }
}
