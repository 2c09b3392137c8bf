package dev.floe.proxy.it.ops;

import static dev.floe.proxy.it.support.FloeProcess.awaitOn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.proxy.it.support.FloeProcess;
import dev.floe.proxy.it.support.Ports;
import dev.floe.proxy.it.support.TestDirs;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code systemctl reload floe} (SIGHUP) with changed {@code floe.server} keys on a real Floe
 * process: {@code server.hostname} and {@code server.admin-password} are applied to new
 * connections, and a changed listen port is named in the reload line as needing a restart while
 * Floe keeps serving on the port it has. (Before, a reload silently ignored every server key.)
 */
class ServerReloadTest {
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  private static String server(String hostname, String adminPassword) {
    return "server { hostname = \"" + hostname + "\", admin-password = \"" + adminPassword
        + "\" }\nmounts = [ { path = \"/live\" } ]\n";
  }

  private static int admin(FloeProcess floe, String password)
      throws IOException, InterruptedException {
    String auth = Base64.getEncoder().encodeToString(("admin:" + password)
        .getBytes(StandardCharsets.UTF_8));
    HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + floe.port()
            + "/admin/stats")).header("Authorization", "Basic " + auth)
        .timeout(Duration.ofSeconds(10)).build();
    return HTTP.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void hostnameAndAdminPasswordApplyAndAPortChangeIsNamedAsNeedingARestart() throws Exception {
    Path dir = TestDirs.create("server-reload");
    try (FloeProcess floe = FloeProcess.start(dir, server("old.example", "first-pass"))) {
      List<FloeProcess> all = List.of(floe);
      assertThat(floe.statusString("host")).isEqualTo("old.example");
      assertThat(admin(floe, "first-pass")).isEqualTo(200);

      floe.reload(server("new.example", "second-pass"));
      awaitOn(all, "reload logged", () -> floe.log().contains("Reloaded"));
      assertThat(floe.log())
          .contains("server.hostname, server.admin-password applied to new connections");
      assertThat(floe.log()).doesNotContain("second-pass");
      assertThat(floe.statusString("host")).isEqualTo("new.example");
      assertThat(admin(floe, "second-pass")).isEqualTo(200);
      assertThat(admin(floe, "first-pass")).isEqualTo(401);

      int port = floe.port();
      int other = Ports.free();
      floe.reload(server("new.example", "second-pass") + "server.port = " + other + "\n");
      String line = "server.port needs a restart (kept " + port + ")";
      awaitOn(all, "the restart line", () -> floe.log().contains(line));
      assertThat(floe.statusString("host")).as("still served on the port it has")
          .isEqualTo("new.example");
    }
  }
}
