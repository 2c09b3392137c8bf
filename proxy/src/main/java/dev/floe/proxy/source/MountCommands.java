package dev.floe.proxy.source;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a mount's {@code on-connect} and {@code on-disconnect} programs as Icecast does: the
 * program with the mount path as its only argument, in Floe's working directory (a relative
 * program name is a path from there, as Icecast's {@code execl}, not looked up in {@code PATH}).
 *
 * <p>Never on an event loop: runs go to two daemon threads with a queue of 64; a run that would
 * not fit is dropped with a log line. A program still running after {@link #TIMEOUT_SECONDS} is
 * killed. Its output is discarded; the exit status is logged.
 */
public final class MountCommands {
  private static final Logger log = LoggerFactory.getLogger(MountCommands.class);
  /** Longest a program may run. */
  static final long TIMEOUT_SECONDS = 30;
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS,
      new ArrayBlockingQueue<>(64), r -> {
        Thread t = new Thread(r, "floe-mount-command-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
      });

  /**
   * Starts {@code command} with {@code mount} as its argument, later, on a command thread.
   *
   * @param what {@code on-connect} or {@code on-disconnect}, for logs
   * @param command the program, or null for nothing
   */
  public void run(String what, String command, String mount) {
    if (command == null || command.isBlank()) {
      return;
    }
    try {
      pool.execute(() -> runNow(what, command, mount));
    } catch (RejectedExecutionException e) {
      log.warn("{}: {} {} not run: 64 runs are already waiting", mount, what, command);
    }
  }

  /** Runs one program to its end (or its timeout) on the calling thread. */
  static int runNow(String what, String command, String mount) {
    Path program = Path.of(command).toAbsolutePath();
    Process p;
    try {
      p = new ProcessBuilder(program.toString(), mount)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .start();
    } catch (IOException e) {
      log.warn("{}: {} {} could not start: {}", mount, what, program, e.getMessage());
      return -1;
    }
    try {
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        log.warn("{}: {} {} still running after {} s: killed", mount, what, program,
            TIMEOUT_SECONDS);
        return -1;
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      return -1;
    }
    int code = p.exitValue();
    if (code == 0) {
      log.info("{}: {} {} done", mount, what, program);
    } else {
      log.warn("{}: {} {} exited with status {}", mount, what, program, code);
    }
    return code;
  }
}
