package dev.floe.proxy.it.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A listener on a plain {@link Socket}: sends one GET with chosen headers to 127.0.0.1,
 * parses the response head ({@code HTTP/1.x} or {@code ICY} status line) synchronously, then
 * reads the body on a daemon thread, counting bytes. When the response has {@code icy-metaint}
 * the body is de-interleaved: audio bytes are counted (and optionally captured) apart from the
 * metadata blocks, whose {@code StreamTitle} values are collected. Self-contained on purpose:
 * no dependency on Floe's own ICY code.
 *
 * <pre>{@code
 * try (RawListener l = RawListener.builder(port, "/live.mp3").icyMetadata(true).open()) {
 *   assertThat(l.headers()).containsKey("icy-metaint");
 * }
 * }</pre>
 */
public final class RawListener implements AutoCloseable {

  private static final int MAX_HEAD = 16 * 1024;

  private final Socket socket;
  private final String statusLine;
  private final int status;
  private final Map<String, String> headers;
  private final int metaint;
  private final int captureLimit;
  private final PlayerBuffer player;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private final AtomicLong audioBytes = new AtomicLong();
  private final AtomicLong totalBytes = new AtomicLong();
  private final AtomicLong metadataBlocks = new AtomicLong();
  private final List<String> titles = new CopyOnWriteArrayList<>();
  private final List<TitleAt> titleChanges = new CopyOnWriteArrayList<>();
  private final Thread reader;
  private volatile boolean connected = true;
  private volatile Instant lastDataAt;
  private volatile IOException readError;

  // De-interleaving state, touched by the reader thread only.
  private int untilMeta;
  private int metaRemaining = -1;
  private ByteArrayOutputStream metaBuffer;

  private RawListener(Builder b) throws IOException {
    this.captureLimit = b.captureBytes;
    this.player = b.player;
    socket = new Socket();
    try {
      socket.connect(new InetSocketAddress("127.0.0.1", b.port), (int) b.timeout.toMillis());
      socket.setSoTimeout((int) b.timeout.toMillis());
      StringBuilder req = new StringBuilder();
      req.append("GET ").append(b.path).append(" HTTP/1.0\r\n");
      req.append("Host: 127.0.0.1:").append(b.port).append("\r\n");
      for (Map.Entry<String, String> h : b.headers.entrySet()) {
        req.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
      }
      req.append("\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      List<String> head = readHead(in);
      statusLine = head.isEmpty() ? "" : head.get(0);
      status = parseStatus(statusLine);
      Map<String, String> hs = new LinkedHashMap<>();
      for (String line : head.subList(Math.min(1, head.size()), head.size())) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          hs.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
              line.substring(colon + 1).trim());
        }
      }
      headers = Collections.unmodifiableMap(hs);
      String mi = hs.get("icy-metaint");
      metaint = b.deinterleave && mi != null ? Integer.parseInt(mi.trim()) : 0;
      untilMeta = metaint;
      socket.setSoTimeout(0); // the body may pause; close() ends the reader
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
    reader = new Thread(() -> readBody(), "raw-listener-" + b.port + b.path);
    reader.setDaemon(true);
    reader.start();
  }

  /** A listener for {@code path} on 127.0.0.1:{@code port}. */
  public static Builder builder(int port, String path) {
    return new Builder(port, path);
  }

  /** Opens a listener with the given extra request headers. */
  public static RawListener open(int port, String path, Map<String, String> headers) {
    Builder b = builder(port, path);
    headers.forEach(b::header);
    return b.open();
  }

  /** The response status code (200, 401, 404, ...). */
  public int status() {
    return status;
  }

  /** The raw status line, e.g. {@code HTTP/1.0 200 OK} or {@code ICY 200 OK}. */
  public String statusLine() {
    return statusLine;
  }

  /** The response headers with lower-case names (last one wins on repeats). */
  public Map<String, String> headers() {
    return headers;
  }

  /** The {@code icy-metaint} in use for de-interleaving, 0 when none. */
  public int metaint() {
    return metaint;
  }

  /** Body bytes that are audio (all body bytes when there is no de-interleaving). */
  public long audioBytes() {
    return audioBytes.get();
  }

  /** All body bytes, metadata blocks included. */
  public long totalBytes() {
    return totalBytes.get();
  }

  /** How many metadata blocks were read, empty ones (length byte 0) included. */
  public long metadataBlocks() {
    return metadataBlocks.get();
  }

  /** StreamTitle values in arrival order, one per non-empty block (Icecast's first is ''). */
  public List<String> titles() {
    return List.copyOf(titles);
  }

  /**
   * A title and where it came: the audio bytes received before the metadata block that carried
   * it (a multiple of the metaint).
   */
  public record TitleAt(long audioOffset, String title) {}

  /**
   * Each title that differs from the one before, with where it came in this listener's audio;
   * the first is the title in force when the listener connected.
   */
  public List<TitleAt> titleChanges() {
    return List.copyOf(titleChanges);
  }

  /** The first {@link Builder#captureBytes(int)} audio bytes (metadata removed). */
  public byte[] captured() {
    synchronized (captured) {
      return captured.toByteArray();
    }
  }

  /** Whether the body is still open (false after EOF, a read error or close). */
  public boolean connected() {
    return connected;
  }

  /** When body bytes last arrived; {@code null} before the first. */
  public Instant lastDataAt() {
    return lastDataAt;
  }

  /** The read error that ended the body, if any (a close() is not an error). */
  public IOException readError() {
    return readError;
  }

  /** Closes the socket and waits (bounded) for the reader thread. */
  @Override
  public void close() {
    connected = false;
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
    try {
      reader.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void readBody() {
    byte[] buf = new byte[8192];
    try {
      InputStream in = socket.getInputStream();
      int n;
      while ((n = in.read(buf)) >= 0) {
        if (n == 0) {
          continue;
        }
        lastDataAt = Instant.now();
        totalBytes.addAndGet(n);
        long audioBefore = audioBytes.get();
        consume(buf, n);
        if (player != null) {
          player.arrive(System.nanoTime(), audioBytes.get() - audioBefore);
        }
      }
    } catch (IOException e) {
      if (!socket.isClosed()) {
        readError = e;
      }
    } finally {
      connected = false;
    }
  }

  private void consume(byte[] buf, int n) {
    if (metaint <= 0) {
      audio(buf, 0, n);
      return;
    }
    int i = 0;
    while (i < n) {
      if (metaRemaining < 0 && untilMeta > 0) {
        int take = Math.min(untilMeta, n - i);
        audio(buf, i, take);
        untilMeta -= take;
        i += take;
      } else if (metaRemaining < 0) {
        metaRemaining = (buf[i++] & 0xff) * 16;
        metadataBlocks.incrementAndGet();
        metaBuffer = new ByteArrayOutputStream(metaRemaining);
        if (metaRemaining == 0) {
          endMeta();
        }
      } else {
        int take = Math.min(metaRemaining, n - i);
        metaBuffer.write(buf, i, take);
        metaRemaining -= take;
        i += take;
        if (metaRemaining == 0) {
          endMeta();
        }
      }
    }
  }

  private void endMeta() {
    byte[] raw = metaBuffer.toByteArray();
    metaRemaining = -1;
    untilMeta = metaint;
    if (raw.length == 0) {
      return;
    }
    String text = decode(raw);
    String key = "StreamTitle='";
    int start = text.indexOf(key);
    if (start >= 0) {
      start += key.length();
      int end = text.indexOf("';", start);
      if (end < 0) {
        end = text.lastIndexOf('\'');
      }
      String title = end >= start ? text.substring(start, end) : text.substring(start);
      titles.add(title);
      if (titleChanges.isEmpty()
          || !titleChanges.get(titleChanges.size() - 1).title().equals(title)) {
        titleChanges.add(new TitleAt(audioBytes.get(), title));
      }
    }
  }

  private void audio(byte[] buf, int off, int len) {
    audioBytes.addAndGet(len);
    if (captureLimit > 0) {
      synchronized (captured) {
        int room = captureLimit - captured.size();
        if (room > 0) {
          captured.write(buf, off, Math.min(room, len));
        }
      }
    }
  }

  /** UTF-8 when valid, else Latin-1 (Icecast's default for non-Ogg metadata); NULs dropped. */
  private static String decode(byte[] raw) {
    int len = raw.length;
    while (len > 0 && raw[len - 1] == 0) {
      len--;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(raw, 0, len)).toString();
    } catch (CharacterCodingException e) {
      return new String(raw, 0, len, StandardCharsets.ISO_8859_1);
    }
  }

  private static List<String> readHead(InputStream in) throws IOException {
    List<String> lines = new ArrayList<>();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int total = 0;
    while (true) {
      int c = in.read();
      if (c < 0) {
        if (line.size() > 0) {
          lines.add(line.toString(StandardCharsets.ISO_8859_1));
        }
        return lines;
      }
      if (++total > MAX_HEAD) {
        throw new IOException("response head longer than " + MAX_HEAD + " bytes");
      }
      if (c == '\n') {
        String s = line.toString(StandardCharsets.ISO_8859_1);
        if (s.endsWith("\r")) {
          s = s.substring(0, s.length() - 1);
        }
        if (s.isEmpty()) {
          return lines;
        }
        lines.add(s);
        line.reset();
      } else {
        line.write(c);
      }
    }
  }

  private static int parseStatus(String statusLine) {
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2) {
      throw new UncheckedIOException(new IOException("no status line: '" + statusLine + "'"));
    }
    return Integer.parseInt(parts[1].trim());
  }

  /** Request options; {@link #open()} connects and reads the response head. */
  public static final class Builder {
    private final int port;
    private final String path;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private int captureBytes;
    private boolean deinterleave = true;
    private Duration timeout = Duration.ofSeconds(10);
    private PlayerBuffer player;

    private Builder(int port, String path) {
      this.port = port;
      this.path = path;
      headers.put("User-Agent", "floe-it-raw-listener");
    }

    /** Feeds every audio read to {@code p}, a model of what a player hears. */
    public Builder player(PlayerBuffer p) {
      this.player = p;
      return this;
    }

    /** Adds (or replaces) a request header. */
    public Builder header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    /** Sends {@code Icy-MetaData: 1} (or 0). */
    public Builder icyMetadata(boolean on) {
      return header("Icy-MetaData", on ? "1" : "0");
    }

    /** Keeps the first {@code n} audio bytes for inspection; default 0. */
    public Builder captureBytes(int n) {
      this.captureBytes = n;
      return this;
    }

    /** De-interleave ICY metadata when the response has icy-metaint; default true. */
    public Builder deinterleave(boolean on) {
      this.deinterleave = on;
      return this;
    }

    /** Bound for connecting and for reading the response head; default 10 s. */
    public Builder timeout(Duration t) {
      this.timeout = t;
      return this;
    }

    /** Connects, sends the request and reads the response head. */
    public RawListener open() {
      try {
        return new RawListener(this);
      } catch (IOException e) {
        throw new UncheckedIOException("GET " + path + " on 127.0.0.1:" + port + " failed", e);
      }
    }
  }
}
