package dev.floe.proxy.it.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeServer;
import dev.floe.proxy.it.support.RawListener;
import dev.floe.proxy.it.support.TestDirs;
import dev.floe.proxy.it.support.Tools;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The limits never harm the station's own clients (issue 15, Icecast compatibility first; issue
 * 16: bounded auth bookkeeping), with the default limits and real clients: automation polling
 * the admin API, an encoder on the same machine as one retrying a wrong password (curl), and a
 * wrong-password flood from tens of thousands of addresses.
 */
class OwnClientsTest {
  private static final Duration LIVE = Duration.ofSeconds(20);
  /** Wrong passwords a second in the many-address flood. */
  private static final int RATE = 2500;
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  private static FloeServer floe() {
    return FloeServer.start("server { source-password = \"good\", admin-password = \"adm\","
        + " sources-create-mounts = true }");
  }

  private static FfmpegSource source(FloeServer floe) {
    return FfmpegSource.builder(FfmpegSource.Format.MP3, floe.url("/live")).password("good")
        .start();
  }

  private static boolean hasSource(FloeServer floe) {
    return floe.mount("/live") != null && floe.mount("/live").hasSource();
  }

  private static int get(FloeServer floe, String pathAndQuery, String userPass) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + floe.port()
        + pathAndQuery)).timeout(Duration.ofSeconds(10));
    if (userPass != null) {
      b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
          userPass.getBytes(StandardCharsets.UTF_8)));
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static String setTitle(String song) {
    return "/admin/metadata?mount=/live&mode=updinfo&song="
        + URLEncoder.encode(song, StandardCharsets.UTF_8);
  }

  @Test
  void aBurstOfHundredAdminRequestsWithValidCredentialsIsAllAnswered() throws Exception {
    try (FloeServer floe = floe()) {
      List<CompletableFuture<HttpResponse<Void>>> burst = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        burst.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + floe.port() + "/admin/stats")).timeout(Duration.ofSeconds(20))
            .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                "admin:adm".getBytes(StandardCharsets.UTF_8))).build(),
            HttpResponse.BodyHandlers.discarding()));
      }
      List<Integer> statuses = new ArrayList<>();
      for (CompletableFuture<HttpResponse<Void>> f : burst) {
        statuses.add(f.get(30, TimeUnit.SECONDS).statusCode());
      }
      assertThat(statuses).hasSize(100).containsOnly(200);
    }
  }

  /**
   * icecast2 answers all of these normally: an encoder on the same machine retrying a wrong
   * password (curl, once every 0.2 s, giving up after 3 s) must not cost the station's good
   * encoder its title updates, nor its reconnect.
   */
  @Test
  void aWrongPasswordLoopFromTheSameAddressNeverAffectsTheGoodEncoder() throws Exception {
    Path dir = TestDirs.create("own-clients");
    Path codes = dir.resolve("codes.txt");
    String curl = Tools.require("curl", "curl").toString();
    try (FloeServer floe = floe()) {
      FfmpegSource good = source(floe);
      Process loop = null;
      await("good source live").atMost(LIVE).until(() -> hasSource(floe)
          && floe.mount("/live").buffer() != null);
      try (RawListener player = RawListener.builder(floe.port(), "/live").icyMetadata(true)
          .open()) {
        assertThat(player.status()).isEqualTo(200);
        loop = new ProcessBuilder("bash", "-c", "end=$((SECONDS+25)); while [ $SECONDS -lt $end ];"
            + " do " + curl + " -s -o /dev/null -w '%{http_code}\\n' --max-time 3 -X PUT -u"
            + " source:wrong -H 'Content-Type: audio/mpeg' --data-binary x"
            + " http://127.0.0.1:" + floe.port() + "/live >> " + codes + "; sleep 0.2; done")
            .redirectErrorStream(true).redirectOutput(dir.resolve("loop.log").toFile()).start();
        // Let the loop lock its address out first.
        await("the wrong-password loop locked out").atMost(LIVE).until(() -> Files.exists(codes)
            && Files.readAllLines(codes).size() >= 6);

        int updates = 0;
        long end = System.nanoTime() + Duration.ofSeconds(8).toNanos();
        while (System.nanoTime() < end) { // bounded: 8 s of title updates every 0.5 s
          long t0 = System.nanoTime();
          assertThat(get(floe, setTitle("song " + updates), "source:good")).isEqualTo(200);
          assertThat((System.nanoTime() - t0) / 1_000_000).as("title update answered at once")
              .isLessThan(1000);
          updates++;
          Thread.sleep(500); // pacing of the updates, not synchronisation
        }
        String last = "song " + (updates - 1);
        await("the last title reaches the player").atMost(LIVE)
            .until(() -> player.titles().contains(last));
        // The good encoder reconnects (a DJ hand-over, a network blip): accepted at once.
        good.close();
        await("the mount free again").atMost(LIVE).until(() -> !hasSource(floe));
        good = source(floe);
        FfmpegSource again = good;
        await("the good encoder back").atMost(Duration.ofSeconds(10))
            .until(() -> hasSource(floe) && again.isAlive());
        assertThat(loop.isAlive()).as("the wrong loop was running throughout").isTrue();
        assertThat(updates).isGreaterThanOrEqualTo(8);
      } finally {
        good.close();
        if (loop != null) {
          loop.destroy();
          loop.waitFor(10, TimeUnit.SECONDS);
        }
      }
      List<String> answered = Files.readAllLines(codes);
      assertThat(answered).as("every answer to the wrong loop: 401, or curl gave up (000)")
          .containsOnly("401", "000").contains("401", "000");
    }
  }

  /**
   * Issue 16: wrong passwords from 70,000 addresses at 2,500 a second (past 65,536, the old table
   * was scanned on every failure: 2 ms each, so this flood alone took 5 cores), while the station's own admin client and encoder use the right
   * ones from another address: every good request is answered at once.
   */
  @Test
  void aWrongPasswordFloodFromManyAddressesLeavesTheGoodClientsAlone() throws Exception {
    int addresses = Integer.getInteger("floe.flood.addresses", 70_000);
    try (FloeServer floe = floe()) {
      FfmpegSource good = source(floe);
      ExecutorService flood = Executors.newFixedThreadPool(4);
      AtomicInteger sent = new AtomicInteger();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      try {
        await("good source live").atMost(LIVE).until(() -> hasSource(floe));
        byte[] wrong = ("GET /admin/stats HTTP/1.0\r\nAuthorization: Basic " + Base64.getEncoder()
            .encodeToString("admin:guess".getBytes(StandardCharsets.UTF_8)) + "\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
          int first = w;
          workers.add(flood.submit(() -> {
            long t0 = System.nanoTime();
            for (int i = first; i < addresses && System.nanoTime() < deadline; i += 4) {
              // paced at RATE a second in all: what the machine absorbs beside the test, so
              // that what is measured is the bookkeeping, not a saturated CPU
              java.util.concurrent.locks.LockSupport.parkNanos(t0 + i * 1_000_000_000L / RATE
                  - System.nanoTime());
              // 127.10.0.1 onwards: one address per request, never loopback's 127.0.0.1
              String from = "127." + (10 + (i >> 16)) + "." + ((i >> 8) & 255) + "." + (i & 255);
              try (Socket s = new Socket()) {
                s.bind(new InetSocketAddress(from, 0));
                s.connect(new InetSocketAddress("127.0.0.1", floe.port()), 5000);
                s.getOutputStream().write(wrong);
                sent.incrementAndGet(); // and closes without waiting for the answer
              } catch (IOException e) {
                // a refused or reset connection is the flood's problem, not the test's
              }
            }
          }));
        }
        // Meanwhile the station's own clients, from 127.0.0.1.
        int good200 = 0;
        List<Long> millis = new ArrayList<>();
        while (workers.stream().anyMatch(f -> !f.isDone())) {
          long t0 = System.nanoTime();
          assertThat(get(floe, "/admin/stats", "admin:adm")).isEqualTo(200);
          long t1 = System.nanoTime();
          assertThat(get(floe, setTitle("during the flood " + good200), "source:good"))
              .isEqualTo(200);
          millis.add((t1 - t0) / 1_000_000);
          millis.add((System.nanoTime() - t1) / 1_000_000);
          good200 += 2;
          Thread.sleep(200); // pacing, not synchronisation
        }
        for (Future<?> f : workers) {
          f.get(); // rethrows a worker's assertion
        }
        // So many addresses failing raise every address's counts: a wrong password from a fresh
        // address is now held at once (the right ones above never were).
        try (Client fresh = new Client("127.250.0.1", floe.port())) {
          fresh.socket().setSoTimeout(1500);
          fresh.get("/admin/stats", "admin:typo");
          assertThatThrownBy(fresh::all).isInstanceOf(java.net.SocketTimeoutException.class);
        }
        // The encoder reconnects right after the flood: accepted.
        good.close();
        await().atMost(LIVE).until(() -> !hasSource(floe));
        good = source(floe);
        await("the good encoder back").atMost(Duration.ofSeconds(10)).until(() -> hasSource(floe));
        List<Long> sorted = millis.stream().sorted().toList();
        long median = sorted.get(sorted.size() / 2);
        System.out.printf("flood: %d wrong passwords from as many addresses; %d good requests, all"
            + " 200, median %d ms, 90th %d ms, slowest %s ms%n", sent.get(), good200, median,
            sorted.get(sorted.size() * 9 / 10), sorted.subList(Math.max(0, sorted.size() - 5),
                sorted.size()));
        assertThat(sent.get()).as("the flood got through (bounded at 60 s)").isGreaterThan(20_000);
        assertThat(good200).isGreaterThanOrEqualTo(4);
        // Every good request was answered 200 (above); typically at once. Single outliers of a
        // second or three are the kernel's SYN retransmissions when the accept queue
        // overflows at 2,500 connections a second on two shared cores, with or without auth.
        assertThat(median).as("median good request, ms").isLessThan(250);
      } finally {
        flood.shutdownNow();
        flood.awaitTermination(10, TimeUnit.SECONDS);
        good.close();
      }
    }
  }
}
