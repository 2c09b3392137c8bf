package dev.floe.proxy.it.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSocket;

/**
 * A player on a JDK {@link SSLSocket} that trusts exactly one certificate (the PEM file given),
 * so its handshake fails unless the server presents that one. Sends {@code GET path} without
 * ICY metadata, reads the response head, then counts body bytes on a daemon thread until the
 * server closes or {@link #close()}.
 */
final class TlsListener implements AutoCloseable {
  private final SSLSocket socket;
  private final String statusLine;
  private final BigInteger serial;
  private final AtomicLong bytes = new AtomicLong();
  private volatile boolean connected = true;
  private volatile IOException readError;

  private TlsListener(int port, String path, Path trusted) throws IOException,
      GeneralSecurityException {
    socket = (SSLSocket) Certs.trusting(trusted).getSocketFactory()
        .createSocket("127.0.0.1", port);
    try {
      socket.setSoTimeout(10_000);
      socket.startHandshake();
      serial = ((X509Certificate) socket.getSession().getPeerCertificates()[0])
          .getSerialNumber();
      socket.getOutputStream().write(("GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1:" + port
          + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      statusLine = readHead(socket.getInputStream());
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
    Thread reader = new Thread(this::readBody, "tls-listener-" + port + path);
    reader.setDaemon(true);
    reader.start();
  }

  /** Connects, handshakes trusting only {@code trusted}, and requests {@code path}. */
  static TlsListener open(int port, String path, Path trusted) throws Exception {
    return new TlsListener(port, path, trusted);
  }

  /** The response's status line, e.g. {@code HTTP/1.0 200 OK}. */
  String statusLine() {
    return statusLine;
  }

  /** The serial number of the certificate this connection's handshake saw. */
  BigInteger serial() {
    return serial;
  }

  /** The serial number of the certificate of this connection's session now (never changes). */
  BigInteger sessionSerial() throws IOException {
    return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
  }

  /** Body bytes received so far. */
  long bytes() {
    return bytes.get();
  }

  /** Whether the body is still being read (the server has not closed). */
  boolean connected() {
    return connected;
  }

  /** Why reading stopped, or null (still reading, or a clean end). */
  IOException readError() {
    return readError;
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0 || head.size() > 16 * 1024) {
        throw new IOException("no complete response head: " + head);
      }
      head.write(b);
      matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    return text.substring(0, text.indexOf("\r\n"));
  }

  private void readBody() {
    byte[] buf = new byte[16 * 1024];
    try {
      socket.setSoTimeout(0);
      InputStream in = socket.getInputStream();
      for (int n; (n = in.read(buf)) >= 0; ) {
        bytes.addAndGet(n);
      }
    } catch (IOException e) {
      if (!socket.isClosed()) {
        readError = e;
      }
    } finally {
      connected = false;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
