package dev.floe.proxy.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;

/**
 * A real nginx or HAProxy (Debian's packages) in front of a Floe port, on a free 127.0.0.1 port,
 * run in the foreground as this test's own process with its configuration in a temporary
 * directory; {@link #close()} stops it. The configurations are the ones {@code
 * docs/reverse-proxy.md} shows, with the ports filled in.
 */
public final class ReverseProxy implements AutoCloseable {
  private static final Duration START = Duration.ofSeconds(15);

  private final String name;
  private final Process process;
  private final Path log;
  private final int port;

  private ReverseProxy(String name, List<String> command, Path dir, int port) {
    this.name = name;
    this.port = port;
    this.log = dir.resolve(name + ".log");
    this.process = Procs.start(command, dir, log);
    try {
      Awaitility.await(name + " listening on 127.0.0.1:" + port).atMost(START)
          .pollInterval(Duration.ofMillis(50)).until(() -> {
            if (!process.isAlive()) {
              throw new AssertionError(name + " exited " + process.exitValue() + ":\n"
                  + Procs.tail(Procs.read(log), 4000));
            }
            try (Socket s = new Socket()) {
              s.connect(new InetSocketAddress("127.0.0.1", port), 500);
              return true;
            } catch (IOException e) {
              return false;
            }
          });
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  /**
   * nginx proxying HTTP to {@code 127.0.0.1:floePort}, adding the client to {@code
   * X-Forwarded-For}, unbuffered (a stream has no end).
   */
  public static ReverseProxy nginx(int floePort, Path dir) {
    Path nginx = Tools.require("nginx", "nginx");
    int port = Ports.free();
    String conf = """
        daemon off;
        master_process off;
        worker_processes 1;
        worker_rlimit_nofile 16384;
        pid %1$s/nginx.pid;
        error_log %1$s/error.log notice;
        events { worker_connections 8192; }
        http {
          access_log off;
          client_body_temp_path %1$s/body;
          proxy_temp_path %1$s/proxy;
          fastcgi_temp_path %1$s/fastcgi;
          uwsgi_temp_path %1$s/uwsgi;
          scgi_temp_path %1$s/scgi;
          server {
            listen 127.0.0.1:%2$d;
            location / {
              proxy_pass http://127.0.0.1:%3$d;
              proxy_http_version 1.1;
              proxy_set_header Host $host;
              proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
              proxy_set_header X-Forwarded-Proto $scheme;
              proxy_buffering off;
              proxy_request_buffering off;
              proxy_read_timeout 1h;
              proxy_send_timeout 1h;
            }
          }
        }
        """.formatted(dir, port, floePort);
    Path file = write(dir.resolve("nginx.conf"), conf);
    return new ReverseProxy("nginx", List.of(nginx.toString(), "-p", dir.toString(), "-e",
        dir.resolve("error.log").toString(), "-c", file.toString()), dir, port);
  }

  /**
   * HAProxy in TCP mode forwarding every byte to {@code 127.0.0.1:floePort} after a PROXY
   * protocol v2 header ({@code send-proxy-v2}): players, sources, peers and TLS alike.
   */
  public static ReverseProxy haproxy(int floePort, Path dir) {
    Path haproxy = Tools.require("haproxy", "haproxy");
    int port = Ports.free();
    String conf = """
        global
          maxconn 8192
        defaults
          mode tcp
          timeout connect 5s
          timeout client 1h
          timeout server 1h
        frontend radio
          bind 127.0.0.1:%d
          default_backend floe
        backend floe
          server floe 127.0.0.1:%d send-proxy-v2
        """.formatted(port, floePort);
    Path file = write(dir.resolve("haproxy.cfg"), conf);
    return new ReverseProxy("haproxy", List.of(haproxy.toString(), "-db", "-f",
        file.toString()), dir, port);
  }

  private static Path write(Path file, String text) {
    try {
      return Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The port players connect to. */
  public int port() {
    return port;
  }

  /** What the proxy logged (its error log for nginx, stdout and stderr). */
  public String log() {
    String out = Procs.read(log);
    Path errors = log.resolveSibling("error.log");
    return Files.exists(errors) ? out + Procs.read(errors) : out;
  }

  @Override
  public void close() {
    Procs.stop(process, Duration.ofSeconds(5));
  }

  @Override
  public String toString() {
    return name + " on 127.0.0.1:" + port;
  }
}
