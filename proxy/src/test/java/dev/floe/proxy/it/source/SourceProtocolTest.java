package dev.floe.proxy.it.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeServer;
import dev.floe.proxy.it.support.LogCapture;
import dev.floe.proxy.it.support.RawListener;
import dev.floe.proxy.it.support.RawSource;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a source is answered, as icecast2 2.4.4 answers (captured from it): auth, 403s, libshout's
 * probes; a listener on a live mount is unharmed by every refusal.
 */
class SourceProtocolTest {
  private static final Duration LIVE = Duration.ofSeconds(15);
  private static FloeServer floe;
  private static FfmpegSource src;

  @BeforeAll
  static void start() {
    floe = FloeServer.start("""
        server { source-password = "pw", sources-create-mounts = true, max-sources = 2 }
        mounts = [ { path = "/own", password = "ownpw" } ]
        """);
    src = FfmpegSource.builder(FfmpegSource.Format.MP3, floe.url("/live")).password("pw")
        .start();
    await().atMost(LIVE).until(() -> floe.mount("/live") != null
        && floe.mount("/live").buffer() != null);
  }

  @AfterAll
  static void stop() {
    if (src != null) {
      src.close();
    }
    if (floe != null) {
      floe.close();
    }
  }

  private static String request(String head) {
    try (RawSource s = new RawSource(floe.port())) {
      s.send(head);
      return s.readAll();
    }
  }

  @Test
  void wrongOrMissingPasswordGets401WithChallengeAndLogLineAndListenersPlayOn() {
    try (LogCapture logs = LogCapture.capture();
        RawListener listener = RawListener.builder(floe.port(), "/live").open()) {
      long before = listener.audioBytes();
      String wrong = request("PUT /x HTTP/1.1\r\nAuthorization: "
          + RawSource.basic("source", "nope") + "\r\nContent-Type: audio/mpeg\r\n\r\n");
      String missing = request("SOURCE /x ICE/1.0\r\n\r\n");
      String otherUser = request("SOURCE /x HTTP/1.0\r\nAuthorization: "
          + RawSource.basic("x", "pw") + "\r\n\r\n");
      String ownMountWithServerPw = request("SOURCE /own HTTP/1.0\r\nAuthorization: "
          + RawSource.basic("source", "pw") + "\r\n\r\n");
      for (String r : new String[] {wrong, missing, otherUser, ownMountWithServerPw}) {
        assertThat(r).startsWith("HTTP/1.0 401 Authentication Required\r\n")
            .contains("\r\nWWW-Authenticate: Basic realm=\"Icecast2 Server\"\r\n")
            .contains("\r\nAllow: GET, PUT, OPTIONS, SOURCE\r\n")
            .endsWith("\r\n\r\nYou need to authenticate\r\n");
      }
      assertThat(logs.has("/x", "wrong user or password")).isTrue();
      assertThat(logs.has("/x", "no credentials")).isTrue();
      assertThat(floe.mount("/x")).isNull();
      await().atMost(LIVE).until(() -> listener.audioBytes() > before + 16_000);
      assertThat(listener.connected()).isTrue();
    }
  }

  @Test
  void secondSourceOnALiveMountGets403MountpointInUse() {
    String r = request("SOURCE /live HTTP/1.0\r\nAuthorization: " + RawSource.basic("source", "pw")
        + "\r\nContent-Type: audio/mpeg\r\n\r\n");
    assertThat(r).startsWith("HTTP/1.0 403 Forbidden\r\n").endsWith("\r\n\r\nMountpoint in use");
    assertThat(src.isAlive()).isTrue();
  }

  @Test
  void putWithoutContentTypeGets403() {
    String r = request("PUT /y HTTP/1.1\r\nAuthorization: " + RawSource.basic("source", "pw")
        + "\r\n\r\n");
    assertThat(r).startsWith("HTTP/1.0 403 Forbidden\r\n").endsWith("\r\n\r\nNo Content-type given");
  }

  @Test
  void moreThanMaxSourcesGets403TooManySources() {
    try (RawSource second = new RawSource(floe.port())) {
      second.send("SOURCE /second HTTP/1.0\r\nAuthorization: " + RawSource.basic("source", "pw")
          + "\r\n\r\n");
      assertThat(second.readHead()).isEqualTo("HTTP/1.0 200 OK\r\n\r\n");
      await().atMost(LIVE).until(() -> floe.mount("/second").hasSource());
      String r = request("SOURCE /third HTTP/1.0\r\nAuthorization: "
          + RawSource.basic("source", "pw") + "\r\n\r\n");
      assertThat(r).startsWith("HTTP/1.0 403 Forbidden\r\n")
          .endsWith("\r\n\r\ntoo many sources connected");
    }
    await().atMost(LIVE).until(() -> !floe.mount("/second").hasSource());
  }

  @Test
  void expectContinueGets100ThenOkAndTheMountsOwnPasswordWorks() {
    try (RawSource s = new RawSource(floe.port())) {
      s.send("PUT /own HTTP/1.1\r\nHost: x\r\nAuthorization: " + RawSource.basic("source", "ownpw")
          + "\r\nContent-Type: audio/mpeg\r\nExpect: 100-continue\r\n\r\n");
      assertThat(s.readHead()).isEqualTo("HTTP/1.1 100 Continue\r\nContent-Length: 0\r\n\r\n");
      assertThat(s.readHead()).isEqualTo("HTTP/1.0 200 OK\r\n\r\n");
      await().atMost(LIVE).until(() -> floe.mount("/own").hasSource());
    }
    await().atMost(LIVE).until(() -> !floe.mount("/own").hasSource());
  }

  @Test
  void libshoutProbesAreAnsweredSoItPicksPut() {
    String options = request("OPTIONS * HTTP/1.1\r\nHost: localhost\r\n"
        + "Upgrade: TLS/1.0, HTTP/1.1\r\nConnection: Upgrade\r\n\r\n");
    assertThat(options).startsWith("HTTP/1.0 204 No Content\r\n")
        .contains("\r\nAllow: GET, PUT, OPTIONS, SOURCE\r\n").doesNotContain("chunked");
    String poke = request("GET /admin/!POKE HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assertThat(poke).startsWith("HTTP/1.0 400 Bad Request\r\n")
        .endsWith("<b>400 - Unrecognised command</b></body></html>\r\n");
    String challenge = request("SOURCE /z HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n"
        + "Connection: Keep-Alive\r\n\r\n");
    assertThat(challenge).startsWith("HTTP/1.0 401 ")
        .contains("\r\nAllow: GET, PUT, OPTIONS, SOURCE\r\n");
  }
}
