package dev.floe.proxy.it.limits;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A raw TCP client bound to a chosen loopback source address; timeouts bound every read. */
final class Client implements AutoCloseable {
  private final Socket socket = new Socket();

  Client(String fromIp, int port) throws IOException {
    socket.bind(new InetSocketAddress(fromIp, 0));
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(10_000);
  }

  /** Sends a GET for {@code path}, with Basic credentials when {@code userPass} is not null. */
  Client get(String path, String userPass) throws IOException {
    String auth = userPass == null ? "" : "Authorization: Basic " + Base64.getEncoder()
        .encodeToString(userPass.getBytes(StandardCharsets.UTF_8)) + "\r\n";
    return send("GET " + path + " HTTP/1.0\r\n" + auth + "\r\n");
  }

  Client send(String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
    return this;
  }

  /** The response head (up to the blank line), at most 16 KiB. */
  String head() throws IOException {
    return head(socket.getInputStream());
  }

  /** The response head on {@code in} (up to the blank line), at most 16 KiB. */
  static String head(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (out.size() < 16 * 1024) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      out.write(b);
      String s = out.toString(StandardCharsets.ISO_8859_1);
      if (s.endsWith("\r\n\r\n")) {
        return s;
      }
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  /** Everything until the server closes (at most 1 MiB). */
  String all() throws IOException {
    return new String(socket.getInputStream().readNBytes(1024 * 1024),
        StandardCharsets.ISO_8859_1);
  }

  /** The status code of a complete response. */
  static int status(String response) {
    return response.length() < 12 ? -1 : Integer.parseInt(response.substring(9, 12));
  }

  Socket socket() {
    return socket;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
