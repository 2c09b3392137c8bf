package dev.floe.proxy.it.support;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One headless Chromium ({@link HeadlessChromium#command}) showing one page, which a test reads
 * while it runs through the DevTools protocol ({@link #eval}). Media plays without a user's
 * gesture ({@code --autoplay-policy=no-user-gesture-required}). Its output goes to a log file in
 * the test's directory; {@link #close} stops it.
 */
public final class ChromiumPage implements WebSocket.Listener, AutoCloseable {
  private static final JsonFactory JSON = new JsonFactory();

  private final Process process;
  private final Path log;
  private final WebSocket devtools;
  private final StringBuilder partial = new StringBuilder();
  private volatile CompletableFuture<String> reply = new CompletableFuture<>();
  private int id;

  private ChromiumPage(Path dir, String url, List<String> flags) throws Exception {
    Path profile = Files.createTempDirectory(dir, "chromium-profile");
    List<String> cmd = HeadlessChromium.command(profile);
    cmd.add("--autoplay-policy=no-user-gesture-required");
    cmd.addAll(flags);
    cmd.addAll(List.of("--remote-debugging-port=0", url));
    log = dir.resolve(profile.getFileName() + ".log");
    process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
        .start();
    try {
      Path portFile = profile.resolve("DevToolsActivePort");
      await("Chromium's DevTools port").atMost(Duration.ofSeconds(30))
          .failFast(() -> !process.isAlive())
          .until(() -> Files.exists(portFile) && !Files.readString(portFile).isBlank());
      int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
      HttpClient http = HttpClient.newHttpClient();
      Pattern page = Pattern.compile("\"webSocketDebuggerUrl\":\\s*\"(ws://[^\"]+/page/[^\"]+)\"");
      String ws = await("the page's DevTools socket").atMost(Duration.ofSeconds(30)).until(() -> {
        Matcher m = page.matcher(http.send(HttpRequest.newBuilder(URI.create(
            "http://127.0.0.1:" + port + "/json")).build(),
            HttpResponse.BodyHandlers.ofString()).body());
        return m.find() ? m.group(1) : null;
      }, s -> s != null);
      devtools = http.newWebSocketBuilder().buildAsync(URI.create(ws), this)
          .get(10, TimeUnit.SECONDS);
      // the page's document parsed (an evaluation while it navigates fails: asked again)
      await("the page " + url + " loaded").atMost(Duration.ofSeconds(30)).ignoreExceptions()
          .failFast(() -> !process.isAlive())
          .until(() -> eval("location.protocol.startsWith('http')"
              + " && document.readyState !== 'loading'"), "true"::equals);
    } catch (Exception | Error e) {
      process.destroyForcibly();
      throw e;
    }
  }

  /** Opens {@code url} in a new headless Chromium with {@code flags} added; files in dir. */
  public static ChromiumPage open(Path dir, String url, String... flags) throws Exception {
    return new ChromiumPage(dir, url, List.of(flags));
  }

  /**
   * The value of the JavaScript {@code expression} evaluated in the page, as a string ({@code
   * String(...)} of it; awaited when it is a promise).
   */
  public synchronized String eval(String expression) throws Exception {
    reply = new CompletableFuture<>();
    String quoted = "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(
        "(async () => String(await (" + expression + ")))()")) + "\"";
    devtools.sendText("{\"id\":" + (++id) + ",\"method\":\"Runtime.evaluate\",\"params\":"
        + "{\"expression\":" + quoted + ",\"awaitPromise\":true,\"returnByValue\":true}}", true)
        .get(5, TimeUnit.SECONDS);
    String r = reply.get(10, TimeUnit.SECONDS);
    try (JsonParser p = JSON.createParser(r)) {
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        if (t == JsonToken.FIELD_NAME && p.currentName().equals("value")
            && p.nextToken() == JsonToken.VALUE_STRING) {
          return p.getText();
        }
      }
    }
    throw new AssertionError("no value from Chromium for " + expression + ": " + r);
  }

  /** What Chromium printed so far. */
  public String log() {
    try {
      return Files.readString(log);
    } catch (java.io.IOException e) {
      return "(no log: " + e + ")";
    }
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
    devtools.abort();
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
