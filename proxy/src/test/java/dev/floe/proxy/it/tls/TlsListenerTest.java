package dev.floe.proxy.it.tls;

import static dev.floe.proxy.it.support.FloeProcess.awaitOn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.proxy.it.support.FfmpegPlayer;
import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeProcess;
import dev.floe.proxy.it.support.Ports;
import dev.floe.proxy.it.support.TestDirs;
import dev.floe.proxy.it.support.Tools;
import dev.floe.proxy.it.tls.Certs.KeyType;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * The HTTPS listener of a real Floe process, with certificates made by openssl: a source and
 * players over TLS, a certificate renewed in place (as certbot does) and reloaded with SIGHUP,
 * and ffmpeg playing the https URL.
 */
class TlsListenerTest {
  private static final Duration LIVE = Duration.ofSeconds(20);
  private static final BigInteger FIRST = BigInteger.valueOf(0x1001);
  private static final BigInteger RENEWED = BigInteger.valueOf(0x1002);

  private static String config(int tlsPort, Path cert, Path key) {
    return "server.tls { port = " + tlsPort + ", certificate = \"" + cert + "\", key = \"" + key
        + "\" }\nmounts = [ { path = \"/live\" } ]\n";
  }

  /** ffmpeg pushing MP3 with PUT over TLS ({@code icecast://} with {@code -tls 1}). */
  private static Process tlsSource(Path dir, int tlsPort) throws Exception {
    List<String> cmd = List.of(Tools.ffmpeg().toString(), "-nostdin", "-hide_banner", "-nostats",
        "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-ac", "2",
        "-c:a", "libmp3lame", "-b:a", "128k", "-f", "mp3", "-content_type", "audio/mpeg",
        "-tls", "1", "icecast://source:hackme@127.0.0.1:" + tlsPort + "/live");
    return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("ffmpeg-tls-source.log").toFile()).start();
  }

  private static String httpsGet(int port, String path, Path trusted) throws Exception {
    HttpClient client = HttpClient.newBuilder().sslContext(Certs.trusting(trusted))
        .connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(
            URI.create("https://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    return r.body();
  }

  @Test
  void renewedCertificateReachesNewHandshakesWhileOpenConnectionsKeepPlaying() throws Exception {
    Path dir = TestDirs.create("tls-reload");
    Path cert = dir.resolve("fullchain.pem");
    Path key = dir.resolve("privkey.pem");
    Certs.write(cert, key, FIRST, KeyType.EC);
    Path saved = Files.copy(cert, dir.resolve("first.pem"));
    int tlsPort = Ports.free();
    try (FloeProcess floe = FloeProcess.start(dir.resolve("floe"), config(tlsPort, cert, key))) {
      List<FloeProcess> all = List.of(floe);
      Process source = tlsSource(dir, tlsPort);
      try {
        floe.awaitLive(LIVE);
        try (TlsListener first = TlsListener.open(tlsPort, "/live", cert)) {
          assertThat(first.statusLine()).isEqualTo("HTTP/1.0 200 OK");
          assertThat(first.serial()).isEqualTo(FIRST);
          awaitOn(all, "first TLS listener playing", () -> first.bytes() > 32 * 1024);

          Certs.write(cert, key, RENEWED, KeyType.EC);
          floe.reload(config(tlsPort, cert, key));
          awaitOn(all, "certificate reload logged",
              () -> floe.log().contains("reloaded certificate CN=127.0.0.1, serial 1002"));

          try (TlsListener second = TlsListener.open(tlsPort, "/live", cert)) {
            assertThat(second.statusLine()).isEqualTo("HTTP/1.0 200 OK");
            assertThat(second.serial()).isEqualTo(RENEWED);
            awaitOn(all, "second TLS listener playing", () -> second.bytes() > 16 * 1024);
          }
          assertThatThrownBy(() -> TlsListener.open(tlsPort, "/live", saved).close())
              .as("a client trusting only the old certificate no longer gets through")
              .isInstanceOf(SSLHandshakeException.class);
          long before = first.bytes();
          awaitOn(all, "the first connection keeps playing after the reload",
              () -> first.bytes() > before + 32 * 1024);
          assertThat(first.connected()).isTrue();
          assertThat(first.readError()).isNull();
          assertThat(first.sessionSerial()).isEqualTo(FIRST);
          assertThat(httpsGet(tlsPort, "/metrics", cert)).contains(
              "floe_tls_certificate_not_after_seconds "
                  + Certs.read(cert).getNotAfter().toInstant().getEpochSecond());
          assertThat(httpsGet(tlsPort, "/live.m3u", cert))
              .contains("https://127.0.0.1:" + tlsPort + "/live");

          // A broken renewal is refused as a whole; the renewed certificate stays in use.
          Files.writeString(key, "not a key");
          floe.reload(config(tlsPort, cert, key));
          awaitOn(all, "refusal logged", () -> floe.log().contains("Reload of"));
          assertThat(floe.log()).contains("server.tls.key").contains(key.toString());
          try (TlsListener third = TlsListener.open(tlsPort, "/live", cert)) {
            assertThat(third.serial()).isEqualTo(RENEWED);
          }
          assertThat(first.connected()).isTrue();
        }
      } finally {
        source.destroy();
        if (!source.waitFor(10, TimeUnit.SECONDS)) {
          source.destroyForcibly();
        }
      }
    }
  }

  @Test
  void ffmpegPlaysTheHttpsUrlWithoutDecodeErrors() throws Exception {
    Path dir = TestDirs.create("tls-ffmpeg");
    Path cert = dir.resolve("fullchain.pem");
    Path key = dir.resolve("privkey.pem");
    Certs.write(cert, key, FIRST, KeyType.RSA);
    int tlsPort = Ports.free();
    try (FloeProcess floe = FloeProcess.start(dir.resolve("floe"), config(tlsPort, cert, key));
        FfmpegSource source = FfmpegSource.builder(FfmpegSource.Format.MP3, floe.url("/live"))
            .workDir(dir).start()) {
      floe.awaitLive(LIVE);
      try (FfmpegPlayer player = FfmpegPlayer.builder("https://127.0.0.1:" + tlsPort + "/live")
          .inputOption("-tls_verify", "0").maxDuration(Duration.ofSeconds(5)).workDir(dir)
          .start()) {
        assertThat(player.awaitExit(Duration.ofSeconds(40))).as(player.stderr()).isZero();
        assertThat(player.decodeErrors()).isEmpty();
        assertThat(player.decodedDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(4500));
      }
    }
  }
}
