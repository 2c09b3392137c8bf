package dev.floe.proxy.it.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
   * instead of mDNS names), and connects to the page over the DevTools protocol. Its profile and
   * output go into {@code dir}.
   */
  public static DevTools devTools(Path dir, String url) throws Exception {
    Path profile = Files.createTempDirectory(dir, "chromium-profile");
    List<String> cmd = command(profile);
    cmd.addAll(List.of("--autoplay-policy=no-user-gesture-required",
        "--allow-loopback-in-peer-connection", "--disable-features=WebRtcHideLocalIpsWithMdns",
        "--remote-debugging-port=0", "--enable-logging=stderr", "--v=0", url));
    Process process = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve(profile.getFileName() + ".log").toFile()).start();
    try {
      return new DevTools(process, profile);
    } catch (Exception | AssertionError e) {
      process.destroyForcibly();
      throw e;
    }
  }

  /** A running Chromium's page, read through the DevTools protocol ({@code Runtime.evaluate}). */
  public static final class DevTools implements WebSocket.Listener, AutoCloseable {
    private static final Pattern VALUE = Pattern.compile("\"value\":\"((?:[^\"\\\\]|\\\\.)*)\"");
    private final Process process;
    private final WebSocket socket;
    private final StringBuilder partial = new StringBuilder();
    private volatile CompletableFuture<String> reply = new CompletableFuture<>();
    private int id;

    private DevTools(Process process, Path profile) throws Exception {
      this.process = process;
      Path portFile = profile.resolve("DevToolsActivePort");
      await("chromium's DevTools port").atMost(Duration.ofSeconds(30))
          .failFast(() -> !process.isAlive())
          .until(() -> Files.exists(portFile) && !Files.readString(portFile).isBlank());
      int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
      HttpClient http = HttpClient.newHttpClient();
      String ws = await("chromium's page").atMost(Duration.ofSeconds(30)).until(() -> {
        String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
            + "/json")).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("\"type\":\\s*\"page\"[^}]*?\"webSocketDebuggerUrl\":\\s*"
            + "\"([^\"]+)\"|\"webSocketDebuggerUrl\":\\s*\"(ws://[^\"]+/page/[^\"]+)\"")
            .matcher(list);
        return m.find() ? (m.group(1) != null ? m.group(1) : m.group(2)) : null;
      }, s -> s != null);
      socket = http.newWebSocketBuilder().buildAsync(URI.create(ws), this)
          .get(10, TimeUnit.SECONDS);
    }

    /** Evaluates a JavaScript expression whose value is a string, and returns that string. */
    public synchronized String evaluate(String expression) throws Exception {
      reply = new CompletableFuture<>();
      socket.sendText("{\"id\":" + (++id) + ",\"method\":\"Runtime.evaluate\",\"params\":"
          + "{\"expression\":" + jsonString(expression) + ",\"returnByValue\":true}}", true)
          .get(5, TimeUnit.SECONDS);
      String r = reply.get(10, TimeUnit.SECONDS);
      Matcher m = VALUE.matcher(r);
      if (!m.find()) {
        throw new AssertionError("no string value from " + expression + ": " + r);
      }
      return m.group(1).replace("\\\"", "\"").replace("\\\\", "\\");
    }

    private static String jsonString(String s) {
      StringBuilder b = new StringBuilder("\"");
      for (char c : s.toCharArray()) {
        switch (c) {
          case '"' -> b.append("\\\"");
          case '\\' -> b.append("\\\\");
          case '\n' -> b.append("\\n");
          default -> {
            if (c < 0x20) {
              b.append(String.format("\\u%04x", (int) c));
            } else {
              b.append(c);
            }
          }
        }
      }
      return b.append('"').toString();
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        if (text.startsWith("{\"id\":")) {
          reply.complete(text);
        }
      }
      ws.request(1);
      return null;
    }

    @Override
    public void close() {
      socket.abort();
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
