package dev.floe.proxy.it.support;

import com.typesafe.config.ConfigFactory;
import dev.floe.proxy.Floe;
import dev.floe.proxy.config.ConfigLoader;
import dev.floe.proxy.mount.Mount;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A Floe started in the test's JVM on 127.0.0.1 and a free port, from a HOCON snippet layered
 * over the real defaults, exactly as {@code floe run} would load it.
 */
public final class FloeServer implements AutoCloseable {
  private final Floe floe;

  private FloeServer(Floe floe) {
    this.floe = floe;
  }

  /** Starts Floe relaying {@code upstream} at {@code mount}; {@code extra} is HOCON under floe. */
  public static FloeServer relay(String upstream, String mount, String extraMountHocon) {
    return start("mounts = [ { path = \"" + mount + "\", upstreams = [\"" + upstream + "\"] "
        + extraMountHocon + " } ]");
  }

  /** Starts Floe from HOCON text placed inside {@code floe { ... }}, bound to loopback. */
  public static FloeServer start(String floeHocon) {
    String text = "floe { server { bind = \"127.0.0.1\", port = 0 }\n" + floeHocon + "\n}";
    try {
      return new FloeServer(Floe.start(ConfigLoader.fromConfig(ConfigFactory.parseString(text))));
    } catch (Exception e) {
      throw new IllegalStateException("Floe did not start with config:\n" + text, e);
    }
  }

  public int port() {
    return floe.port();
  }

  public String url(String mount) {
    return "http://127.0.0.1:" + port() + mount;
  }

  public Mount mount(String path) {
    return floe.mounts().get(path);
  }

  /** GET a path and return the response body as text (asserts nothing about the status). */
  public HttpResponse<String> get(String path) {
    try {
      return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
          HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException("GET " + path + " failed", e);
    }
  }

  @Override
  public void close() {
    floe.close();
  }
}
