package dev.floe.proxy.it.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.proxy.it.support.FfmpegPlayer;
import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.Ports;
import dev.floe.proxy.it.support.RawListener;
import dev.floe.proxy.it.support.RawSource;
import dev.floe.proxy.it.support.TestDirs;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The quick start as a real process: {@code floe server --port N --bind 127.0.0.1
 * --source-password PW --admin-password PW} (the {@code dev.floe.proxy.Main} just compiled, on the
 * test JVM's classpath). ffmpeg pushes to mounts nobody configured, with PUT and with SOURCE,
 * using the source password; a SHOUTcast v1 source is welcome on N+1; the admin API takes the
 * admin password and refuses Icecast's default {@code hackme}, as does source ingest.
 */
class ServerCommandTest {
  private static final Duration LIVE = Duration.ofSeconds(20);

  @Test
  void aBareServerTakesSourcesOnAnyMountAndItsOwnPasswords() throws Exception {
    int port = portWithNextFree();
    Path dir = TestDirs.create("floe-server-cmd");
    Path log = dir.resolve("floe.log");
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx64m", "-XX:+UseSerialGC", "-cp", childClasspath(), "dev.floe.proxy.Main", "server",
        "--port", Integer.toString(port), "--bind", "127.0.0.1", "--source-password", "srcpw",
        "--admin-password", "admpw");
    Process floe = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    try {
      await("floe server answering").atMost(LIVE).failFast(() -> !floe.isAlive())
          .ignoreExceptions()
          .until(() -> AdminCall.get(port, "/status-json.xsl", null, null).status() == 200);
      assertThat(Files.readString(log)).contains("listening on 127.0.0.1:" + port)
          .contains("sources may create any mount");
      String url = "http://127.0.0.1:" + port;
      try (FfmpegSource put = FfmpegSource.builder(FfmpegSource.Format.MP3, url + "/any.mp3")
              .password("srcpw").start();
          FfmpegSource legacy = FfmpegSource.builder(FfmpegSource.Format.MP3, url + "/legacy")
              .password("srcpw").legacySource(true).start();
          RawSource sc = new RawSource(port + 1)) {
        sc.send("srcpw\r\n");
        assertThat(sc.readHead()).isEqualTo("OK2\r\nicy-caps:11\r\n\r\n");
        await("both ffmpeg mounts listed").atMost(LIVE).failFast(() -> !floe.isAlive())
            .until(() -> {
              String mounts = AdminCall.get(port, "/admin/listmounts", "admin", "admpw").body();
              return mounts.contains("mount=\"/any.mp3\"") && mounts.contains("mount=\"/legacy\"");
            });
        try (RawListener onLegacy = RawListener.builder(port, "/legacy").open();
            FfmpegPlayer player = FfmpegPlayer.start(url + "/any.mp3", true,
                Duration.ofSeconds(4))) {
          assertThat(player.awaitExit(Duration.ofSeconds(30))).isZero();
          assertThat(player.decodeErrors()).isEmpty();
          assertThat(player.decodedDuration()).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
          await().atMost(LIVE).until(() -> onLegacy.audioBytes() > 16_000);
        }

        for (String[] creds : new String[][] {{"admin", "hackme"}, {null, null},
            {"source", "srcpw"}}) {
          AdminCall refused = AdminCall.get(port, "/admin/listmounts", creds[0], creds[1]);
          assertThat(refused.statusLine()).as("admin as %s", creds[0])
              .isEqualTo("HTTP/1.0 401 Authentication Required");
        }
        try (RawSource def = new RawSource(port)) {
          def.send("SOURCE /x HTTP/1.0\r\nAuthorization: " + RawSource.basic("source", "hackme")
              + "\r\nContent-Type: audio/mpeg\r\n\r\n");
          assertThat(def.readAll()).startsWith("HTTP/1.0 401 Authentication Required\r\n");
        }
        assertThat(put.isAlive()).isTrue();
        assertThat(legacy.isAlive()).isTrue();
      }
    } finally {
      floe.destroy();
      if (!floe.waitFor(10, TimeUnit.SECONDS)) {
        floe.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
    assertThat(Files.readString(log, StandardCharsets.UTF_8)).doesNotContain(" ERROR ");
  }

  /** A free port whose successor (the SHOUTcast port) is free too; bounded tries. */
  private static int portWithNextFree() {
    for (int i = 0; i < 20; i++) {
      int p = Ports.free();
      try (ServerSocket next = new ServerSocket(p + 1, 1, InetAddress.getLoopbackAddress())) {
        return p;
      } catch (IOException taken) {
        // try another
      }
    }
    throw new AssertionError("no free port pair found in 20 tries");
  }

  /** The test JVM's classpath without test classes and Surefire's jars: the code just built. */
  private static String childClasspath() {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty(
        "java.class.path"));
    List<String> kept = new ArrayList<>();
    for (String entry : cp.split(File.pathSeparator)) {
      String name = entry.isBlank() ? "" : Path.of(entry).getFileName().toString();
      if (!name.isEmpty() && !name.equals("test-classes") && !name.startsWith("surefire")) {
        kept.add(entry);
      }
    }
    if (kept.stream().noneMatch(e -> Files.isRegularFile(
        Path.of(e, "dev", "floe", "proxy", "Main.class")))) {
      throw new UncheckedIOException(new IOException("Main is not on the classpath: " + cp));
    }
    return String.join(File.pathSeparator, kept);
  }
}
