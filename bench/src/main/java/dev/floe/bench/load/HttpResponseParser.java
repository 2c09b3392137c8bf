package dev.floe.bench.load;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * One HTTP/1.x response read incrementally, byte by byte as it arrives: a strict head (status
 * line {@code HTTP/1.0} or {@code HTTP/1.1} and a three-digit status, CRLF line ends, at most 16
 * KiB), then a body of {@code Content-Length} bytes, or up to the end of the stream without one.
 * The body is counted; its first {@link #PREFIX} bytes are kept, and all of it up to {@code
 * keep} bytes (a playlist). Chunked transfer coding is refused. Pure: no sockets, the caller
 * feeds the bytes and tells it when the stream ended.
 */
final class HttpResponseParser {
  /** Body bytes always kept (enough for an ID3v2 header). */
  static final int PREFIX = 10;
  private static final int MAX_HEAD = 16 * 1024;

  private final int keep;
  private final byte[] head = new byte[MAX_HEAD];
  private int headLength;
  private boolean headComplete;
  private int status = -1;
  private long contentLength = -1;
  private long bodyBytes;
  private byte[] body = new byte[0];
  private int kept;
  private final byte[] prefix = new byte[PREFIX];
  private boolean done;
  private String error;

  /** A parser keeping up to {@code keep} body bytes (0: count only). */
  HttpResponseParser(int keep) {
    this.keep = keep;
  }

  /** Consumes all of {@code data}. */
  void feed(ByteBuffer data) {
    while (data.hasRemaining() && error == null) {
      if (!headComplete) {
        if (headLength == MAX_HEAD) {
          fail("head longer than " + MAX_HEAD + " bytes");
          return;
        }
        head[headLength++] = data.get();
        if (headLength >= 4 && head[headLength - 1] == '\n' && head[headLength - 2] == '\r'
            && head[headLength - 3] == '\n' && head[headLength - 4] == '\r') {
          parseHead();
        }
      } else {
        body(data);
      }
    }
  }

  /** The server closed the stream (or reset it): complete only for a body without a length. */
  void endOfStream() {
    if (done || error != null) {
      return;
    }
    if (!headComplete) {
      fail("closed before the end of the head (" + headLength + " bytes)");
    } else if (contentLength >= 0) {
      fail("closed after " + bodyBytes + " of " + contentLength + " body bytes");
    } else {
      done = true;
    }
  }

  private void parseHead() {
    String text = new String(head, 0, headLength - 4, StandardCharsets.ISO_8859_1);
    String[] lines = text.split("\r\n", -1);
    for (String line : lines) {
      if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
        fail("bare CR or LF in the head");
        return;
      }
    }
    String s = lines[0];
    if (!(s.startsWith("HTTP/1.0 ") || s.startsWith("HTTP/1.1 ")) || s.length() < 12
        || (s.length() > 12 && s.charAt(12) != ' ')) {
      fail("bad status line: " + s);
      return;
    }
    try {
      status = Integer.parseInt(s.substring(9, 12));
    } catch (NumberFormatException e) {
      fail("bad status line: " + s);
      return;
    }
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      int colon = line.indexOf(':');
      if (colon <= 0) {
        fail("bad head line: " + line);
        return;
      }
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      if (name.equals("content-length")) {
        try {
          contentLength = Long.parseLong(value);
        } catch (NumberFormatException e) {
          contentLength = -2;
        }
        if (contentLength < 0) {
          fail("bad Content-Length: " + value);
          return;
        }
      } else if (name.equals("transfer-encoding") && !value.equalsIgnoreCase("identity")) {
        fail("Transfer-Encoding " + value + " is not supported");
        return;
      }
    }
    if (keep > 0 && contentLength > keep) {
      fail("body of " + contentLength + " bytes, longer than " + keep);
      return;
    }
    headComplete = true;
    if (contentLength == 0) {
      done = true;
    }
  }

  private void body(ByteBuffer data) {
    if (done) {
      fail("bytes after the end of the body");
      return;
    }
    int n = data.remaining();
    if (contentLength >= 0) {
      n = (int) Math.min(n, contentLength - bodyBytes);
    }
    int from = data.position();
    for (int i = 0; bodyBytes + i < PREFIX && i < n; i++) {
      prefix[(int) bodyBytes + i] = data.get(from + i);
    }
    int k = (int) Math.min(n, keep - kept);
    if (k > 0) {
      if (body.length < kept + k) {
        body = Arrays.copyOf(body, Math.min(keep, Math.max(kept + k, 2 * body.length + 4096)));
      }
      data.get(from, body, kept, k);
      kept += k;
    }
    data.position(from + n);
    bodyBytes += n;
    if (contentLength >= 0 && bodyBytes == contentLength) {
      done = true;
    }
    if (keep > 0 && contentLength < 0 && bodyBytes > keep) {
      fail("body longer than " + keep + " bytes");
    }
  }

  private void fail(String why) {
    if (error == null) {
      error = why;
    }
  }

  boolean headComplete() {
    return headComplete;
  }

  /** The whole response has arrived. */
  boolean done() {
    return done && error == null;
  }

  boolean failed() {
    return error != null;
  }

  String error() {
    return error;
  }

  /** The status code, or -1 before the head. */
  int status() {
    return status;
  }

  long bodyBytes() {
    return bodyBytes;
  }

  /** The kept body bytes (valid up to {@link #kept()}). */
  byte[] body() {
    return body;
  }

  int kept() {
    return kept;
  }

  /**
   * The length of the ID3v2 tag that starts the body (its 10-byte header, the size in its
   * syncsafe field, and a footer when flagged), 0 when the body does not start with one.
   */
  long id3Length() {
    if (bodyBytes < PREFIX || prefix[0] != 'I' || prefix[1] != 'D' || prefix[2] != '3') {
      return 0;
    }
    long size = 0;
    for (int i = 6; i < 10; i++) {
      if ((prefix[i] & 0x80) != 0) {
        return 0; // not syncsafe: not a tag
      }
      size = (size << 7) | prefix[i];
    }
    return 10 + size + ((prefix[5] & 0x10) != 0 ? 10 : 0);
  }
}
