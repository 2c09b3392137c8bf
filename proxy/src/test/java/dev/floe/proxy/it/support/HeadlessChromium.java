package dev.floe.proxy.it.support;


import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Chromium, headless, at a phone's size, with a fresh profile and none of its own
 * network traffic (the machine's network is closed): one run per call, at most 90 s, with what it
 * printed. Missing Chromium fails the test (scripts/install-test-tools installs it).
 */
public final class HeadlessChromium {
  private HeadlessChromium() {}

  /** What one run printed. */
  public record Run(int exit, String stdout, String stderr) {
    /** Console messages logged at error level, and uncaught exceptions. */
    public List<String> consoleErrors() {
      List<String> out = new ArrayList<>();
      for (String line : stderr.split("\n")) {
        if (line.contains("Uncaught") || (line.contains("CONSOLE") && line.contains("ERROR"))
            || line.contains(":ERROR:CONSOLE")) {
          out.add(line);
        }
      }
      return out;
    }
  }

  /** Chromium headless with a fresh profile and no traffic of its own; add flags and a URL. */
  public static List<String> command(Path profile) {
    return new ArrayList<>(List.of(Tools.require("chromium", "chromium").toString(),
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile));
  }

  /**
   * Runs Chromium with {@code args} (e.g. {@code --dump-dom URL}) after the common flags, its
   * profile and output in {@code dir}; {@code virtualMillis} is the page's virtual time budget.
   */
  public static Run run(Path dir, int virtualMillis, List<String> args)
      throws IOException, InterruptedException {
    List<String> cmd = command(Files.createTempDirectory(dir, "chromium-profile"));
    cmd.addAll(List.of("--window-size=412,915", "--enable-logging=stderr", "--v=0",
        "--virtual-time-budget=" + virtualMillis));
    cmd.addAll(args);
    Path out = dir.resolve("chromium-out-" + System.nanoTime());
    Path err = dir.resolve("chromium-err-" + System.nanoTime());
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
        .start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish in 90 s: " + cmd);
    }
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  /**
   * Starts Chromium showing {@code url} until closed, with audio allowed to play without a
   * gesture and WebRTC between browsers of this machine (loopback candidates, real addresses
   * instead of mDNS names), driven over the DevTools protocol. Its profile and output go into
   * {@code dir}.
   */
  public static ChromiumPage peerPage(Path dir, String url) throws Exception {
    return ChromiumPage.open(dir, url, "--allow-loopback-in-peer-connection",
        "--disable-features=WebRtcHideLocalIpsWithMdns", "--enable-logging=stderr", "--v=0");
  }
}
