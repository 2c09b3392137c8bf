package dev.floe.proxy.status;

import java.time.Instant;
import java.util.Objects;

/**
 * Snapshot of one mount for the status renderers.
 *
 * <p>The first fifteen components mirror Icecast's per-source stats; the rest are Floe's own
 * and appear in JSON under {@code floe_}-prefixed keys. Reference components other than
 * {@code mount} and {@code listenUrl} may be {@code null}, meaning "unknown"; renderers then omit
 * them.
 *
 * @param mount mount point, with its leading slash, e.g. {@code /live}; never null
 * @param listenUrl absolute URL listeners use, Icecast's {@code listenurl}; never null
 * @param contentType stream content type, Icecast's {@code server_type}
 * @param name stream name ({@code ice-name}), Icecast's {@code server_name}
 * @param description stream description, Icecast's {@code server_description}
 * @param genre stream genre
 * @param url stream home page, Icecast's {@code server_url}
 * @param audioInfo raw {@code ice-audio-info} value, e.g. {@code bitrate=128;channels=2}
 * @param bitrate bitrate in kbit/s
 * @param channels channel count
 * @param samplerate sample rate in Hz
 * @param listeners listeners connected now
 * @param listenerPeak most listeners seen at once
 * @param title current stream title (ICY {@code StreamTitle})
 * @param streamStart when the current source (or upstream) started
 * @param live whether the upstream is connected and data is flowing
 * @param upstream current upstream URL, or null
 * @param slowListenersDropped listeners dropped for falling behind the buffer
 * @param bytesIn bytes received from upstreams
 * @param bytesOut bytes sent to listeners
 * @param reconnects upstream reconnects since start
 * @param bufferBytes bytes currently held in the resume buffer
 * @param bufferSeconds seconds of audio currently held in the resume buffer
 * @param resume where the mount stands in its stream, or null
 * @param swarm the mount's swarm node, or null when it has none
 * @param hlsListeners HLS listeners now: clients that fetched its playlist or a segment in the
 *     last 30 s (issue 18)
 * @param hlsOffload its HLS upload budget: segment bytes served over HTTP and reported from
 *     browser peers, or null when not counted
 */
public record MountStatus(
    String mount, String listenUrl, String contentType,
    String name, String description, String genre, String url, String audioInfo,
    Integer bitrate, Integer channels, Integer samplerate,
    int listeners, int listenerPeak, String title, Instant streamStart,
    boolean live,
    String upstream,
    long slowListenersDropped, long bytesIn, long bytesOut, long reconnects,
    long bufferBytes, double bufferSeconds, Resume resume, SwarmStatus swarm,
    int hlsListeners, HlsOffloadStatus hlsOffload) {

  /** A snapshot of a mount without an HLS upload budget. */
  public MountStatus(String mount, String listenUrl, String contentType, String name,
      String description, String genre, String url, String audioInfo, Integer bitrate,
      Integer channels, Integer samplerate, int listeners, int listenerPeak, String title,
      Instant streamStart, boolean live, String upstream, long slowListenersDropped, long bytesIn,
      long bytesOut, long reconnects, long bufferBytes, double bufferSeconds, Resume resume,
      SwarmStatus swarm, int hlsListeners) {
    this(mount, listenUrl, contentType, name, description, genre, url, audioInfo, bitrate,
        channels, samplerate, listeners, listenerPeak, title, streamStart, live, upstream,
        slowListenersDropped, bytesIn, bytesOut, reconnects, bufferBytes, bufferSeconds, resume,
        swarm, hlsListeners, null);
  }

  /** A snapshot of a mount without HLS listeners. */
  public MountStatus(String mount, String listenUrl, String contentType, String name,
      String description, String genre, String url, String audioInfo, Integer bitrate,
      Integer channels, Integer samplerate, int listeners, int listenerPeak, String title,
      Instant streamStart, boolean live, String upstream, long slowListenersDropped, long bytesIn,
      long bytesOut, long reconnects, long bufferBytes, double bufferSeconds, Resume resume,
      SwarmStatus swarm) {
    this(mount, listenUrl, contentType, name, description, genre, url, audioInfo, bitrate,
        channels, samplerate, listeners, listenerPeak, title, streamStart, live, upstream,
        slowListenersDropped, bytesIn, bytesOut, reconnects, bufferBytes, bufferSeconds, resume,
        swarm, 0);
  }

  /** A snapshot of a mount without a swarm. */
  public MountStatus(String mount, String listenUrl, String contentType, String name,
      String description, String genre, String url, String audioInfo, Integer bitrate,
      Integer channels, Integer samplerate, int listeners, int listenerPeak, String title,
      Instant streamStart, boolean live, String upstream, long slowListenersDropped, long bytesIn,
      long bytesOut, long reconnects, long bufferBytes, double bufferSeconds, Resume resume) {
    this(mount, listenUrl, contentType, name, description, genre, url, audioInfo, bitrate,
        channels, samplerate, listeners, listenerPeak, title, streamStart, live, upstream,
        slowListenersDropped, bytesIn, bytesOut, reconnects, bufferBytes, bufferSeconds, resume,
        null);
  }

  /**
   * Where the mount stands in its stream and how its upstreams behaved (issue 4's resume).
   *
   * @param epoch the stream run's id; positions are counted within it
   * @param position the newest position held (the next byte to arrive)
   * @param windowOldest the oldest position a resume can still start at
   * @param upstreamIndex priority index of the current upstream, -1 when none
   * @param switches upstream changes while data flowed
   * @param gaps discontinuities in the stream (no overlap to splice, or a restart)
   * @param gapBytes bytes known or estimated to be missing across those gaps
   * @param nextAttempt when the upstreams are tried next after a failure, or null
   * @param lastFailure why the last attempt failed while retrying, or null
   */
  public record Resume(String epoch, long position, long windowOldest, int upstreamIndex,
      long switches, long gaps, long gapBytes, Instant nextAttempt, String lastFailure) {

    /** A resume state with no retry pending. */
    public Resume(String epoch, long position, long windowOldest, int upstreamIndex,
        long switches, long gaps, long gapBytes) {
      this(epoch, position, windowOldest, upstreamIndex, switches, gaps, gapBytes, null, null);
    }
  }


  /** Rejects a missing mount or listen URL, which every renderer needs. */
  public MountStatus {
    Objects.requireNonNull(mount, "mount");
    Objects.requireNonNull(listenUrl, "listenUrl");
  }
}
