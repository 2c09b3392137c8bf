package dev.floe.proxy.it.source;

import dev.floe.proxy.it.support.RawSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.0 GET over a raw socket (optionally with Basic auth), read until the server closes:
 * the status line and body exactly as sent, for admin and refusal answers.
 */
record AdminCall(String statusLine, String head, String body) {
  /** GETs {@code pathAndQuery} from 127.0.0.1:{@code port}; {@code user} null sends no auth. */
  static AdminCall get(int port, String pathAndQuery, String user, String password) {
    String auth = user == null ? "" : "Authorization: " + RawSource.basic(user, password) + "\r\n";
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      s.getOutputStream().write(("GET " + pathAndQuery + " HTTP/1.0\r\n" + auth + "\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      String all = new String(s.getInputStream().readNBytes(1 << 20), StandardCharsets.UTF_8);
      int end = all.indexOf("\r\n\r\n");
      String head = end < 0 ? all : all.substring(0, end);
      return new AdminCall(head.lines().findFirst().orElse(""), head,
          end < 0 ? "" : all.substring(end + 4));
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + pathAndQuery + " on :" + port, e);
    }
  }

  /** The numeric status, or -1 when the status line is not HTTP. */
  int status() {
    String[] parts = statusLine.split(" ");
    return parts.length > 1 && parts[1].matches("\\d{3}") ? Integer.parseInt(parts[1]) : -1;
  }
}
