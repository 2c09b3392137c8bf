package dev.floe.proxy.status;

import java.time.Instant;

/** Snapshots shared by the renderer tests. */
final class Fixtures {
  static final Instant SERVER_START = Instant.parse("2020-05-06T17:49:37Z");
  static final Instant STREAM_START = Instant.parse("2020-05-06T18:00:05Z");

  private Fixtures() {}

  static ServerInfo server() {
    return new ServerInfo("icemaster@localhost", "localhost", "Earth", "Floe 0.1.0",
        SERVER_START);
  }

  /** A fully populated mount. */
  static MountStatus mount(String mount, String title) {
    return new MountStatus(mount, "http://localhost:8000" + mount, "audio/mpeg",
        "Radio " + mount, "Best of " + mount, "Jazz", "https://radio.example",
        "bitrate=128;channels=2;samplerate=44100", 128, 2, 44100,
        3, 7, title, STREAM_START, true, "http://origin.example:8000" + mount,
        1, 1000, 5000, 2, 65536, 4.096, null);
  }

  /** A mount that knows nothing optional: every nullable component null. */
  static MountStatus bare(String mount) {
    return new MountStatus(mount, "http://localhost:8000" + mount, null,
        null, null, null, null, null, null, null, null,
        0, 0, null, null, false, null, 0, 0, 0, 0, 0, 0.0, null);
  }

  /** The same as {@link #mount} with another title. */
  static MountStatus withTitle(MountStatus m, String title) {
    return new MountStatus(m.mount(), m.listenUrl(), m.contentType(), m.name(), m.description(),
        m.genre(), m.url(), m.audioInfo(), m.bitrate(), m.channels(), m.samplerate(),
        m.listeners(), m.listenerPeak(), title, m.streamStart(), m.live(), m.upstream(),
        m.slowListenersDropped(), m.bytesIn(), m.bytesOut(), m.reconnects(), m.bufferBytes(),
        m.bufferSeconds(), null);
  }

  /** The same as {@code m} with another buffer length in seconds. */
  static MountStatus withBufferSeconds(MountStatus m, double seconds) {
    return new MountStatus(m.mount(), m.listenUrl(), m.contentType(), m.name(), m.description(),
        m.genre(), m.url(), m.audioInfo(), m.bitrate(), m.channels(), m.samplerate(),
        m.listeners(), m.listenerPeak(), m.title(), m.streamStart(), m.live(), m.upstream(),
        m.slowListenersDropped(), m.bytesIn(), m.bytesOut(), m.reconnects(), m.bufferBytes(),
        seconds, null);
  }

  /** The same as {@code m} with {@code n} HLS listeners. */
  static MountStatus withHlsListeners(MountStatus m, int n) {
    return new MountStatus(m.mount(), m.listenUrl(), m.contentType(), m.name(), m.description(),
        m.genre(), m.url(), m.audioInfo(), m.bitrate(), m.channels(), m.samplerate(),
        m.listeners(), m.listenerPeak(), m.title(), m.streamStart(), m.live(), m.upstream(),
        m.slowListenersDropped(), m.bytesIn(), m.bytesOut(), m.reconnects(), m.bufferBytes(),
        m.bufferSeconds(), m.resume(), m.swarm(), n);
  }
}
