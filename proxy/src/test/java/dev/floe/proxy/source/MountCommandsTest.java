package dev.floe.proxy.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** on-connect / on-disconnect programs: the mount as argument, off the caller's thread. */
class MountCommandsTest {
  @TempDir Path dir;

  private Path script(String name, String body) {
    return dev.floe.proxy.it.support.TestDirs.script(dir, name, body);
  }

  @Test
  void runsTheProgramWithTheMountAsItsArgument() throws Exception {
    Path out = dir.resolve("out");
    Path p = script("hook.sh", "printf '%s' \"$1\" > '" + out + "'");
    assertThat(MountCommands.runNow("on-connect", p.toString(), "/live")).isZero();
    assertThat(Files.readString(out)).isEqualTo("/live");

    Path slow = script("slow.sh", "sleep 2; printf '%s' \"$1\" > '" + out + "2'");
    long t0 = System.nanoTime();
    new MountCommands().run("on-disconnect", slow.toString(), "/other");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
    await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(dir.resolve("out2"))
        && Files.readString(dir.resolve("out2")).equals("/other"));
  }

  @Test
  void reportsFailuresWithoutThrowing() throws Exception {
    assertThat(MountCommands.runNow("on-connect", dir.resolve("missing").toString(), "/m"))
        .isEqualTo(-1);
    assertThat(MountCommands.runNow("on-connect", script("fail.sh", "exit 3").toString(), "/m"))
        .isEqualTo(3);
    new MountCommands().run("on-connect", null, "/m"); // nothing configured: nothing run
  }
}
