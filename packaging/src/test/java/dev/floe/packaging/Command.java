package dev.floe.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one external command to completion, bounded in time, with stdin from /dev/null and
 * stdout and stderr captured in files (no pipe can fill up).
 */
final class Command {
  /** What a finished command left: its exit status and its two outputs as text. */
  record Result(List<String> command, int exit, String out, String err) {
    /** Fails the test unless the exit status is 0, showing both outputs. */
    Result assertSuccess() {
      assertThat(exit).as("exit status of %s%nstdout:%n%s%nstderr:%n%s", command, out, err)
          .isZero();
      return this;
    }
  }

  private Command() {}

  /**
   * Runs {@code command} with extra environment variables; fails the test when the program
   * cannot be started or does not finish within {@code limit} (the process tree is killed).
   */
  static Result run(Duration limit, Map<String, String> env, List<String> command) {
    Path dir = TestFiles.tmp();
    try {
      Path out = Files.createTempFile(dir, "out", ".txt");
      Path err = Files.createTempFile(dir, "err", ".txt");
      ProcessBuilder pb = new ProcessBuilder(command)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(out.toFile())
          .redirectError(err.toFile());
      pb.environment().putAll(env);
      Process p;
      try {
        p = pb.start();
      } catch (IOException e) {
        throw new AssertionError("cannot run " + command + " (is the program installed? "
            + "scripts/install-test-tools installs the test tools): " + e.getMessage(), e);
      }
      if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError(command + " did not finish within " + limit);
      }
      Result r = new Result(List.copyOf(command), p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + command, e);
    }
  }

  /** Runs {@code command} with a limit of two minutes and the inherited environment. */
  static Result run(String... command) {
    return run(Duration.ofMinutes(2), Map.of(), List.of(command));
  }
}
