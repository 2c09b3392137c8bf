package dev.floe.proxy.admin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Minimal blocking HTTP for the parity tests: one request, the status, the header lines in
 * order, and the body up to EOF (or only the head, for streams). Every read is bounded by a
 * socket timeout and a size limit.
 */
final class Wire {
  private static final int TIMEOUT_MS = 5000;
  private static final int MAX_BODY = 1 << 20;
  private static final int MAX_HEAD = 16 * 1024;

  /** A response: status, header lines (without CRLF) in order, body as UTF-8. */
  record Response(int status, List<String> headerLines, String body) {
    /** The header lines whose name starts with {@code icy-} or {@code ice-}, any case. */
    List<String> streamHeaderLines() {
      List<String> out = new ArrayList<>();
      for (String l : headerLines) {
        String lower = l.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("icy-") || lower.startsWith("ice-")) {
          out.add(l);
        }
      }
      return out;
    }
  }

  private Wire() {}

  /** GET with Basic auth ({@code user} null: none), reading the body to EOF. */
  static Response get(int port, String pathAndQuery, String user, String password) {
    return request(port, pathAndQuery, user, password, "floe-admin-parity", true);
  }

  /**
   * GET with Basic auth, returning everything read until the server closes (ISO-8859-1), or
   * what was read before a reset; for answers that are not a well-formed response.
   */
  static String raw(int port, String pathAndQuery, String user, String password) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), TIMEOUT_MS);
      s.setSoTimeout(TIMEOUT_MS);
      s.getOutputStream().write(("GET " + pathAndQuery + " HTTP/1.0\r\nAuthorization: Basic "
          + Base64.getEncoder().encodeToString((user + ":" + password)
              .getBytes(StandardCharsets.UTF_8)) + "\r\n\r\n")
          .getBytes(StandardCharsets.UTF_8));
      InputStream in = s.getInputStream();
      byte[] buf = new byte[8192];
      for (int n; all.size() < MAX_BODY && (n = in.read(buf)) >= 0; ) {
        all.write(buf, 0, n);
      }
    } catch (IOException e) {
      // a reset: keep what arrived before it
    }
    return all.toString(StandardCharsets.ISO_8859_1);
  }

  /** GET a stream and read only the head. */
  static Response head(int port, String path, String userAgent) {
    return request(port, path, null, null, userAgent, false);
  }

  private static Response request(int port, String pathAndQuery, String user, String password,
      String userAgent, boolean body) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), TIMEOUT_MS);
      s.setSoTimeout(TIMEOUT_MS);
      StringBuilder req = new StringBuilder("GET ").append(pathAndQuery).append(" HTTP/1.0\r\n")
          .append("Host: 127.0.0.1:").append(port).append("\r\n")
          .append("User-Agent: ").append(userAgent).append("\r\n");
      if (user != null) {
        req.append("Authorization: Basic ").append(Base64.getEncoder().encodeToString(
            (user + ":" + password).getBytes(StandardCharsets.UTF_8))).append("\r\n");
      }
      req.append("\r\n");
      OutputStream out = s.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      List<String> head = readHead(in);
      int status = Integer.parseInt(head.get(0).split(" ")[1]);
      String text = "";
      if (body) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) >= 0) {
          b.write(buf, 0, n);
          if (b.size() > MAX_BODY) {
            throw new IOException("body over " + MAX_BODY + " bytes");
          }
        }
        text = b.toString(StandardCharsets.UTF_8);
      }
      return new Response(status, List.copyOf(head.subList(1, head.size())), text);
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + pathAndQuery + " on :" + port, e);
    }
  }

  /** Reads head lines up to the blank line (ISO-8859-1, CRLF or LF). */
  static List<String> readHead(InputStream in) throws IOException {
    List<String> lines = new ArrayList<>();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int total = 0; total < MAX_HEAD; total++) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("EOF in head after " + lines);
      }
      if (c == '\n') {
        String l = line.toString(StandardCharsets.ISO_8859_1);
        if (l.endsWith("\r")) {
          l = l.substring(0, l.length() - 1);
        }
        if (l.isEmpty()) {
          return lines;
        }
        lines.add(l);
        line.reset();
      } else {
        line.write(c);
      }
    }
    throw new IOException("head over " + MAX_HEAD + " bytes");
  }

  /**
   * Accepts one connection on a loopback port and returns the request head lines; the caller
   * points a client at {@link #port()} first, then calls {@link #take()}.
   */
  static final class Capture implements AutoCloseable {
    private final ServerSocket server;

    Capture() {
      try {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        server.setSoTimeout(15_000);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    int port() {
      return server.getLocalPort();
    }

    /** The request line and headers of the first connection (bounded by 15 s). */
    List<String> take() {
      try (Socket s = server.accept()) {
        s.setSoTimeout(TIMEOUT_MS);
        return readHead(s.getInputStream());
      } catch (IOException e) {
        throw new UncheckedIOException("no request captured on :" + port(), e);
      }
    }

    @Override
    public void close() {
      try {
        server.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}
