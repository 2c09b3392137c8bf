package dev.floe.proxy.server;

import dev.floe.proxy.mount.Mount;
import dev.floe.proxy.mount.StreamInfo;
import dev.floe.proxy.status.HlsOffloadStatus;
import dev.floe.proxy.status.MountStatus;

/** Turns a live {@link Mount} into the status renderers' snapshot. */
final class MountStatusMapper {
  private MountStatusMapper() {}

  static MountStatus map(Mount m, String listenUrl, int hlsListeners,
      HlsOffloadStatus hlsOffload) {
    StreamInfo i = m.info();
    long bufferBytes = m.buffer().newest() - m.buffer().oldest();
    Integer br = i.bitrate();
    double seconds = bufferBytes / (double) m.bytesPerSecond();
    return new MountStatus(
        m.path(), listenUrl, i.contentType(),
        i.header("icy-name"), i.header("icy-description"), i.header("icy-genre"),
        i.header("icy-url"), i.header("ice-audio-info"),
        br, i.audioInfo("channels"), i.audioInfo("samplerate"),
        m.listeners(), m.listenerRegistry().peak(), m.metadata().title(), m.streamStart(),
        m.live(), m.upstream(),
        m.counters().slowListenersDropped(), m.counters().bytesIn(), m.counters().bytesOut(), m.counters().reconnects(),
        bufferBytes, seconds,
        new MountStatus.Resume(m.segment().epoch(), m.buffer().newest(), m.buffer().oldest(),
            m.upstreamIndex(), m.counters().switches(), m.counters().gaps(), m.counters().gapBytes(), m.nextAttempt(),
            m.lastFailure()),
        m.swarm().status(), hlsListeners, hlsOffload);
  }
}
