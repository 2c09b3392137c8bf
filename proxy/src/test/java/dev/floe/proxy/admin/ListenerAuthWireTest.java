package dev.floe.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeServer;
import dev.floe.proxy.it.support.IcecastServer;
import dev.floe.proxy.it.support.RawListener;
import dev.floe.proxy.it.support.TestDirs;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Icecast's URL listener authentication on a Floe mount, against a tiny auth server: it accepts
 * the User-Agent {@code good}, refuses {@code banned} with an {@code Icecast-Auth-Message}, and
 * refuses everyone else plainly; {@code listener_remove} arrives with a duration.
 */
class ListenerAuthWireTest {
  private static final Duration LIVE = Duration.ofSeconds(20);

  private static IcecastServer ice;
  private static FfmpegSource source;
  private static HttpServer auth;
  private static FloeServer floe;
  private static final List<Map<String, String>> posts = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    ice = IcecastServer.start(TestDirs.create("listener-auth"));
    source = FfmpegSource.mp3(ice.url("/live.mp3"));
    ice.awaitMount("/live.mp3", LIVE);
    auth = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    auth.createContext("/", exchange -> {
      Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(),
          StandardCharsets.UTF_8));
      form.put("_path", exchange.getRequestURI().getPath());
      form.put("_type", exchange.getRequestHeaders().getFirst("Content-Type"));
      posts.add(form);
      String agent = form.getOrDefault("agent", "");
      if (agent.equals("good")) {
        exchange.getResponseHeaders().add("icecast-auth-user", "1");
      } else if (agent.equals("banned")) {
        exchange.getResponseHeaders().add("Icecast-Auth-Message", "403 You are banned");
      }
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    auth.start();
    String base = "http://127.0.0.1:" + auth.getAddress().getPort();
    floe = FloeServer.start("mounts = [ { path = \"/live.mp3\", upstream = \""
        + ice.url("/live.mp3") + "\", listener-auth { add-url = \"" + base + "/add\","
        + " remove-url = \"" + base + "/remove\" } } ]");
    await("Floe live").atMost(LIVE).until(() -> floe.mount("/live.mp3").live());
  }

  @AfterAll
  static void stop() {
    if (floe != null) {
      floe.close();
    }
    if (auth != null) {
      auth.stop(0);
    }
    if (source != null) {
      source.close();
    }
    if (ice != null) {
      ice.close();
    }
  }

  private static Map<String, String> form(String body) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String part : body.split("&")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        out.put(URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static Map<String, String> post(String action, String agent) {
    await(action + " for " + agent).atMost(LIVE).until(() -> posts.stream()
        .anyMatch(p -> action.equals(p.get("action")) && agent.equals(p.get("agent"))));
    return posts.stream().filter(p -> action.equals(p.get("action"))
        && agent.equals(p.get("agent"))).findFirst().orElseThrow();
  }

  @Test
  void anAcceptedListenerPlaysAndIsReportedOnLeaving() {
    Map<String, String> add;
    try (RawListener good = RawListener.builder(floe.port(), "/live.mp3?token=abc")
        .header("User-Agent", "good")
        .header("Authorization", "Basic " + java.util.Base64.getEncoder()
            .encodeToString("alice:pw".getBytes(StandardCharsets.UTF_8))).open()) {
      assertThat(good.status()).isEqualTo(200);
      await("audio").atMost(LIVE).until(() -> good.audioBytes() > 16000);
      add = post("listener_add", "good");
      assertThat(add).containsEntry("_path", "/add")
          .containsEntry("_type", "application/x-www-form-urlencoded")
          .containsEntry("server", "localhost")
          .containsEntry("port", Integer.toString(floe.port()))
          .containsEntry("mount", "/live.mp3?token=abc")
          .containsEntry("user", "alice").containsEntry("pass", "pw")
          .containsEntry("ip", "127.0.0.1").containsKey("client");
    }
    Map<String, String> remove = post("listener_remove", "good");
    assertThat(remove).containsEntry("_path", "/remove")
        .containsEntry("client", add.get("client"))
        .containsEntry("mount", "/live.mp3?token=abc").containsKey("duration");
    assertThat(Long.parseLong(remove.get("duration"))).isBetween(0L, 60L);
  }

  @Test
  void aRefusedListenerGets401WithTheChallenge() {
    Wire.Response r = Wire.head(floe.port(), "/live.mp3", "nobody");
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.headerLines()).contains("WWW-Authenticate: Basic realm=\"Icecast2 Server\"");
    Wire.Response body = Wire.get(floe.port(), "/live.mp3", null, null);
    assertThat(body.status()).isEqualTo(401);
    assertThat(body.body()).isEqualTo("You need to authenticate\r\n");
    assertThat(floe.mount("/live.mp3").listenerRegistry().views()).noneMatch(
        v -> "nobody".equals(v.userAgent()));
  }

  @Test
  void aBannedListenerGets403WithTheAuthMessage() {
    try (RawListener banned = RawListener.builder(floe.port(), "/live.mp3")
        .header("User-Agent", "banned").open()) {
      assertThat(banned.status()).isEqualTo(403);
      assertThat(banned.headers()).containsEntry("content-type", "text/plain; charset=utf-8")
          .containsEntry("content-length", Integer.toString("You are banned".length()));
      await("closed").atMost(LIVE).until(() -> !banned.connected());
    }
    assertThat(post("listener_add", "banned")).containsEntry("agent", "banned");
  }
}
