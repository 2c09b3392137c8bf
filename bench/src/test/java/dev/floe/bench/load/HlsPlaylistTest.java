package dev.floe.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The playlist as a player reads it, line by line. */
class HlsPlaylistTest {
  private static HlsPlaylist parse(String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    return HlsPlaylist.parse(b, b.length);
  }

  /** A playlist as Floe renders it (MediaPlaylist). */
  private static final String FLOE = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:5\n"
      + "#EXT-X-MEDIA-SEQUENCE:12\n"
      + "#EXT-X-PROGRAM-DATE-TIME:2026-12-06T18:00:00.000Z\n#EXTINF:4.101,\n"
      + "#EXT-X-FLOE-SHA256:00ff\nlive.hls/3f2a-786432-1c291ca3.mp3\n"
      + "#EXT-X-PROGRAM-DATE-TIME:2026-12-06T18:00:04.101Z\n#EXTINF:4.075,\n"
      + "#EXT-X-FLOE-SHA256:11ee\nlive.hls/3f2a-851968-1c291ca3.mp3\n";

  @Test
  void readsFloesPlaylist() {
    HlsPlaylist p = parse(FLOE);
    assertThat(p.targetSeconds()).isEqualTo(5);
    assertThat(p.mediaSequence()).isEqualTo(12);
    assertThat(p.endList()).isFalse();
    assertThat(p.entries()).containsExactly(
        new HlsPlaylist.Entry(12, "live.hls/3f2a-786432-1c291ca3.mp3", 4.101),
        new HlsPlaylist.Entry(13, "live.hls/3f2a-851968-1c291ca3.mp3", 4.075));
    assertThat(p.end()).isEqualTo(14);
    assertThat(p.entry(13).uri()).endsWith("851968-1c291ca3.mp3");
    assertThat(p.entry(11)).isNull();
    assertThat(p.entry(14)).isNull();
  }

  @Test
  void crlfLineEndsTitlesInExtinfAndNoMediaSequence() {
    HlsPlaylist p = parse("#EXTM3U\r\n#EXT-X-TARGETDURATION:4\r\n#EXTINF:3.5,Song\r\na.mp3\r\n"
        + "\r\n#EXTINF:4\r\nhttp://h/b.mp3\r\n#EXT-X-ENDLIST\r\n");
    assertThat(p.mediaSequence()).isZero();
    assertThat(p.entries()).containsExactly(new HlsPlaylist.Entry(0, "a.mp3", 3.5),
        new HlsPlaylist.Entry(1, "http://h/b.mp3", 4.0));
    assertThat(p.endList()).isTrue();
  }

  @Test
  void anEmptyLivePlaylistIsValid() {
    HlsPlaylist p = parse("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n"
        + "#EXT-X-MEDIA-SEQUENCE:0\n");
    assertThat(p.entries()).isEmpty();
    assertThat(p.end()).isZero();
  }

  @Test
  void rejectsWhatAPlayerCouldNotFollow() {
    assertThatThrownBy(() -> parse("")).hasMessageContaining("#EXTM3U");
    assertThatThrownBy(() -> parse("<html>404</html>")).hasMessageContaining("#EXTM3U");
    assertThatThrownBy(() -> parse("#EXTM3U\n#EXTINF:4,\na.mp3\n"))
        .hasMessageContaining("TARGETDURATION");
    assertThatThrownBy(() -> parse("#EXTM3U\n#EXT-X-TARGETDURATION:4\na.mp3\n"))
        .hasMessage("line 3: URI without #EXTINF");
    assertThatThrownBy(() -> parse("#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\n"))
        .hasMessageContaining("without a URI");
    assertThatThrownBy(() -> parse("#EXTM3U\n#EXT-X-TARGETDURATION:x\n"))
        .hasMessage("line 2: bad value in #EXT-X-TARGETDURATION:x");
    assertThatThrownBy(() -> parse("#EXTM3U\n#EXT-X-TARGETDURATION:0\n"))
        .hasMessageContaining("line 2");
    assertThatThrownBy(() -> parse("#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXT-X-MEDIA-SEQUENCE:-1\n"))
        .hasMessageContaining("line 3");
    assertThatThrownBy(() -> parse("#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:-1,\na.mp3\n"))
        .hasMessageContaining("line 3");
    assertThatThrownBy(() -> parse("#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:NaN,\na.mp3\n"))
        .hasMessageContaining("line 3");
    assertThatThrownBy(() -> parse("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nlow.m3u8\n"))
        .hasMessageContaining("multivariant");
  }
}
