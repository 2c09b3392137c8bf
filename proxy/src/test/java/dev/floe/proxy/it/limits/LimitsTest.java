package dev.floe.proxy.it.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.proxy.admin.AuthBackoff;
import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeServer;
import dev.floe.proxy.it.support.IcecastServer;
import dev.floe.proxy.it.support.LogCapture;
import dev.floe.proxy.it.support.RawListener;
import dev.floe.proxy.it.support.TestDirs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each limit of {@code floe.server.limits} (and the older {@code max-clients}, {@code
 * header-timeout}, {@code idle-timeout}) bites on a running Floe relaying a real icecast2, and
 * the listeners already playing keep receiving audio.
 */
class LimitsTest {
  private static final Duration LIVE = Duration.ofSeconds(20);
  private static IcecastServer ice;
  private static FfmpegSource source;

  @BeforeAll
  static void origin() {
    ice = IcecastServer.start(TestDirs.create("limits"));
    source = FfmpegSource.mp3(ice.url("/live"));
    ice.awaitMount("/live", LIVE);
  }

  @AfterAll
  static void stopOrigin() {
    if (source != null) {
      source.close();
    }
    if (ice != null) {
      ice.close();
    }
  }

  private static FloeServer relay(String server) {
    FloeServer floe = FloeServer.start("server { " + server + " }\nmounts = [ { path = \"/live\","
        + " upstreams = [\"" + ice.url("/live") + "\"] } ]");
    await().atMost(LIVE).until(() -> floe.mount("/live").live());
    return floe;
  }

  private static void assertStillPlaying(List<RawListener> listeners) {
    long[] before = listeners.stream().mapToLong(RawListener::audioBytes).toArray();
    await().atMost(LIVE).untilAsserted(() -> {
      for (int i = 0; i < listeners.size(); i++) {
        assertThat(listeners.get(i).audioBytes()).isGreaterThan(before[i] + 16 * 1024);
      }
    });
    assertThat(listeners).allSatisfy(l -> {
      assertThat(l.connected()).isTrue();
      assertThat(l.readError()).isNull();
    });
  }

  @Test
  void connectionsOverThePerAddressLimitGet403WhileOtherAddressesAndListenersPlay()
      throws Exception {
    try (FloeServer floe = relay("limits { max-connections-per-ip = 3 }");
        LogCapture log = LogCapture.capture()) {
      List<RawListener> playing = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          playing.add(RawListener.builder(floe.port(), "/live").open());
        }
        assertThat(playing).allSatisfy(l -> assertThat(l.status()).isEqualTo(200));

        for (int i = 0; i < 30; i++) { // a flood from the same address
          try (Client c = new Client("127.0.0.1", floe.port())) {
            String refused = c.get("/live", null).all();
            assertThat(Client.status(refused)).isEqualTo(403);
            assertThat(refused).startsWith("HTTP/1.0 403 Forbidden\r\n")
                .contains("Too many connections from your address");
          }
        }
        try (Client other = new Client("127.0.0.2", floe.port())) {
          assertThat(other.get("/live", null).head()).startsWith("HTTP/1.0 200 OK\r\n");
        }
        assertStillPlaying(playing);
        long lines = log.lines().stream()
            .filter(l -> l.contains("limits.max-connections-per-ip")).count();
        // One line per second per kind: the 30 refusals took a few seconds at most.
        assertThat(lines).isBetween(1L, 5L);
      } finally {
        playing.forEach(RawListener::close);
      }
    }
  }

  @Test
  void connectionsOverMaxClientsGetIcecastsLimitAnswer() throws Exception {
    try (FloeServer floe = relay("max-clients = 3")) {
      List<RawListener> playing = new ArrayList<>();
      List<Client> others = new ArrayList<>();
      try {
        playing.add(RawListener.builder(floe.port(), "/live").open());
        for (String ip : List.of("127.0.0.2", "127.0.0.3")) {
          Client c = new Client(ip, floe.port());
          others.add(c);
          assertThat(c.get("/live", null).head()).startsWith("HTTP/1.0 200 OK\r\n");
        }
        try (Client c = new Client("127.0.0.4", floe.port())) {
          String refused = c.get("/live", null).all();
          assertThat(refused).startsWith("HTTP/1.0 403 Forbidden\r\n")
              .contains("Icecast connection limit reached");
        }
        assertStillPlaying(playing);
      } finally {
        playing.forEach(RawListener::close);
        for (Client c : others) {
          c.close();
        }
      }
    }
  }

  @Test
  void slowlorisIsAnswered408AfterTheHeadTimeoutAndSilentConnectionClosedAfterIdleTimeout()
      throws Exception {
    ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor();
    try (FloeServer floe = relay("header-timeout = 3s, idle-timeout = 1s");
        RawListener good = RawListener.builder(floe.port(), "/live").open();
        LogCapture log = LogCapture.capture()) {
      byte[] slow = "GET /live HTTP/1.0\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
          .getBytes(StandardCharsets.US_ASCII);
      try (Client slowloris = new Client("127.0.0.2", floe.port());
          Client silent = new Client("127.0.0.3", floe.port())) {
        long start = System.nanoTime();
        AtomicInteger sent = new AtomicInteger();
        drip.scheduleAtFixedRate(() -> {
          int i = sent.getAndIncrement();
          if (i < slow.length) {
            try {
              slowloris.socket().getOutputStream().write(slow[i]);
            } catch (IOException e) {
              sent.set(slow.length); // closed by Floe: stop dripping
            }
          }
        }, 0, 1, TimeUnit.SECONDS);

        assertThat(silent.all()).isEmpty(); // closed without a word
        long silentMs = (System.nanoTime() - start) / 1_000_000;
        String answer = slowloris.all();
        long slowMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(silentMs).isBetween(800L, 2500L);
        assertThat(answer).startsWith("HTTP/1.0 408 Request Timeout\r\n");
        assertThat(slowMs).isBetween(2800L, 6000L);
        assertThat(sent.get()).isLessThan(slow.length); // the head was still incomplete
        assertThat(log.has("no complete request head within 3000 ms")).isTrue();
        assertThat(log.has("no request within 1000 ms (idle-timeout)")).isTrue();
      }
      assertStillPlaying(List.of(good));
    } finally {
      drip.shutdownNow();
    }
  }

  @Test
  void wrongAdminPasswordsAreHeldWhileTheRightOneFromTheSameAddressIsAnsweredAtOnce()
      throws Exception {
    try (FloeServer floe = FloeServer.start("server { admin-password = \"right\", limits {"
        + " auth-failures = 3, auth-backoff = 3s, auth-backoff-max = 6s, admin-rate = 1,"
        + " admin-burst = 8 } }")) {
      for (int i = 0; i < 2; i++) {
        assertThat(adminStatus(floe, "127.0.0.1", "admin:wrong" + i)).isEqualTo(401);
      }
      // The third wrong password locks the address out: its 401 comes after the lockout ...
      try (Client held = new Client("127.0.0.1", floe.port())) {
        long start = System.nanoTime();
        held.get("/admin/stats", "admin:wrong2");
        // ... while the right password from the same address is answered at once.
        long before = System.nanoTime();
        assertThat(adminStatus(floe, "127.0.0.1", "admin:right")).isEqualTo(200);
        assertThat((System.nanoTime() - before) / 1_000_000).isLessThan(1500);
        assertThat(Client.status(held.all())).isEqualTo(401);
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(2500L, 6000L);
      }
      // Guessing on parallel connections: past MAX_HELD held answers, 429 without a check.
      List<Client> parallel = new ArrayList<>();
      try {
        for (int i = 0; i < AuthBackoff.MAX_HELD; i++) {
          Client c = new Client("127.0.0.1", floe.port());
          parallel.add(c);
          c.get("/admin/stats", "admin:guess" + i);
        }
        await().atMost(LIVE).until(() -> {
          try (Client c = new Client("127.0.0.1", floe.port())) {
            String r = c.get("/admin/stats", "admin:right").all();
            return Client.status(r) == 429 && retryAfter(r) >= 1;
          }
        });
        assertThat(adminStatus(floe, "127.0.0.2", "admin:right")).isEqualTo(200);
        for (Client c : parallel) {
          assertThat(Client.status(c.all())).isEqualTo(401);
        }
      } finally {
        for (Client c : parallel) {
          c.close();
        }
      }

      // Request rate: only requests without valid credentials take a token: a burst of 8, then
      // 429 with Retry-After (1 per second); the right credentials are never limited.
      for (int i = 0; i < 8; i++) {
        assertThat(adminStatus(floe, "127.0.0.3", null)).isEqualTo(401);
      }
      try (Client c = new Client("127.0.0.3", floe.port())) {
        String limited = c.get("/admin/stats", null).all();
        assertThat(limited).startsWith("HTTP/1.0 429 Too Many Requests\r\n");
        assertThat(retryAfter(limited)).isEqualTo(1);
      }
      for (int i = 0; i < 30; i++) {
        assertThat(adminStatus(floe, "127.0.0.3", "admin:right")).isEqualTo(200);
      }
    }
  }

  @Test
  void wrongSourcePasswordsAreHeldWhileTheRightOneFromTheSameAddressIsAccepted()
      throws Exception {
    try (FloeServer floe = FloeServer.start("server { source-password = \"right\","
        + " sources-create-mounts = true, limits { auth-failures = 3, auth-backoff = 3s } }")) {
      for (int i = 0; i < 2; i++) {
        assertThat(Client.status(put(floe, "127.0.0.5", "source:wrong" + i))).isEqualTo(401);
      }
      try (Client held = new Client("127.0.0.5", floe.port())) {
        long start = System.nanoTime();
        held.send(putHead("source:wrong2"));
        assertThat(put(floe, "127.0.0.5", "source:right")).startsWith("HTTP/1.0 200 OK\r\n");
        assertThat(Client.status(held.head())).isEqualTo(401);
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(2500L, 6000L);
      }
    }
  }

  @Test
  void wrongShoutcastPasswordsAreHeldWhileTheRightOneFromTheSameAddressGetsOk2()
      throws Exception {
    int scPort = dev.floe.proxy.it.support.Ports.free();
    try (FloeServer floe = FloeServer.start("server { source-password = \"right\","
        + " sources-create-mounts = true, shoutcast-port = " + scPort + ", limits {"
        + " auth-failures = 2, auth-backoff = 3s } }")) {
      try (Client c = new Client("127.0.0.7", scPort)) {
        assertThat(c.send("wrong0\r\n").all()).isEqualTo("invalid password\r\n");
      }
      try (Client held = new Client("127.0.0.7", scPort)) {
        long start = System.nanoTime();
        held.send("wrong1\r\n");
        try (Client right = new Client("127.0.0.7", scPort)) {
          assertThat(right.send("right\r\n").head()).startsWith("OK2\r\n");
          assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1500);
        }
        assertThat(held.all()).isEqualTo("invalid password\r\n");
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(2500L, 6000L);
      }
    }
  }

  private static int adminStatus(FloeServer floe, String fromIp, String userPass)
      throws IOException {
    try (Client c = new Client(fromIp, floe.port())) {
      return Client.status(c.get("/admin/stats", userPass).all());
    }
  }

  /** A PUT source head; returns the response head (a 200 stays open, so only the head). */
  private static String put(FloeServer floe, String fromIp, String userPass) throws IOException {
    try (Client c = new Client(fromIp, floe.port())) {
      return c.send(putHead(userPass)).head();
    }
  }

  private static String putHead(String userPass) {
    return "PUT /src HTTP/1.1\r\nHost: x\r\nContent-Type: audio/mpeg\r\n"
        + "Authorization: Basic " + Base64.getEncoder().encodeToString(
            userPass.getBytes(StandardCharsets.UTF_8)) + "\r\n\r\n";
  }

  private static int retryAfter(String response) {
    for (String line : response.split("\r\n")) {
      if (line.regionMatches(true, 0, "Retry-After:", 0, 12)) {
        return Integer.parseInt(line.substring(12).trim());
      }
    }
    throw new AssertionError("no Retry-After in " + response);
  }
}
