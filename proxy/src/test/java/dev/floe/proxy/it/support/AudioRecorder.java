package dev.floe.proxy.it.support;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A player that records every audio byte it receives, for byte-for-byte comparisons between
 * recordings ({@link Contiguity}). One {@link RawListener} connection (never reconnects), with
 * {@code Icy-MetaData: 1} by default so the ICY blocks are stripped at {@code icy-metaint};
 * at most {@link #DEFAULT_LIMIT} bytes are kept (the count goes on past it).
 *
 * <p>Sending {@code Floe-Position} ({@link Builder#position(String)}) makes the request a node
 * request; the response's {@code Floe-Position} and {@code Floe-Window} are parsed on demand.
 */
public final class AudioRecorder implements AutoCloseable {

  /** Audio bytes kept at most by default: 32 MiB, about 35 minutes of 128 kbit/s. */
  public static final int DEFAULT_LIMIT = 32 * 1024 * 1024;

  private final RawListener listener;
  private final int limit;

  private AudioRecorder(RawListener listener, int limit) {
    this.listener = listener;
    this.limit = limit;
  }

  /** A recorder for {@code path} on 127.0.0.1:{@code port}. */
  public static Builder builder(int port, String path) {
    return new Builder(port, path);
  }

  /** Opens a plain player (Icy-MetaData: 1, no Floe-Position) recording {@code path}. */
  public static AudioRecorder open(int port, String path) {
    return builder(port, path).open();
  }

  /** The response status. */
  public int status() {
    return listener.status();
  }

  /** The response headers, names in lower case. */
  public Map<String, String> headers() {
    return listener.headers();
  }

  /** The response's {@code Floe-Position}; fails when missing or malformed. */
  public FloePosition position() {
    return FloePosition.parse(listener.headers().get("floe-position"));
  }

  /** The response's {@code Floe-Window}; fails when missing or malformed. */
  public FloePosition.Window window() {
    return FloePosition.Window.parse(listener.headers().get("floe-window"));
  }

  /** A copy of the audio bytes recorded so far (at most the limit). */
  public byte[] audio() {
    return listener.captured();
  }

  /** Audio bytes received so far, counted past the limit too. */
  public long audioBytes() {
    return listener.audioBytes();
  }

  /** Whether the limit was reached (later bytes are counted, not kept). */
  public boolean full() {
    return listener.audioBytes() >= limit;
  }

  /** Whether the one connection is still open. */
  public boolean connected() {
    return listener.connected();
  }

  /** The read error that ended the connection, if any. */
  public Exception readError() {
    return listener.readError();
  }

  /** The underlying listener (metadata blocks, titles, timing). */
  public RawListener listener() {
    return listener;
  }

  /** Closes the connection. */
  @Override
  public void close() {
    listener.close();
  }

  /** Request options. */
  public static final class Builder {
    private final int port;
    private final String path;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private int limit = DEFAULT_LIMIT;
    private Duration timeout = Duration.ofSeconds(10);

    private Builder(int port, String path) {
      this.port = port;
      this.path = path;
      headers.put("Icy-MetaData", "1");
      headers.put("User-Agent", "floe-it-audio-recorder");
    }

    /** Sends {@code Floe-Position: value} ({@code *} or {@code epoch:offset}). */
    public Builder position(String value) {
      return header("Floe-Position", value);
    }

    /** Sends {@code Floe-Position: <epoch>:<offset>}. */
    public Builder position(FloePosition p) {
      return position(p.header());
    }

    /** Sends {@code Icy-MetaData: 1} (default) or {@code 0}. */
    public Builder icyMetadata(boolean on) {
      return header("Icy-MetaData", on ? "1" : "0");
    }

    /** Adds or replaces a request header. */
    public Builder header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    /** Audio bytes kept at most; default {@link #DEFAULT_LIMIT}. */
    public Builder limit(int bytes) {
      this.limit = bytes;
      return this;
    }

    /** Bound for connecting and reading the response head; default 10 s. */
    public Builder timeout(Duration t) {
      this.timeout = t;
      return this;
    }

    /** Connects and reads the response head; the body is recorded on a daemon thread. */
    public AudioRecorder open() {
      RawListener.Builder b = RawListener.builder(port, path).captureBytes(limit).timeout(timeout);
      headers.forEach(b::header);
      return new AudioRecorder(b.open(), limit);
    }
  }
}
