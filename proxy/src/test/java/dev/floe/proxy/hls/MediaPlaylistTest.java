package dev.floe.proxy.hls;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MediaPlaylistTest {
  @Test
  void rendersALivePlaylistWithDatesAndDurations() {
    Segmenter.Segment a = new Segmenter.Segment(65_886, 131_400, 0, 4_075_000_000L, "", 0,
        65_536, 16_000);
    Segmenter.Segment b = new Segmenter.Segment(131_400, 196_914, 0, 5_600_000_001L, "", 0,
        65_536, 16_000);
    String text = MediaPlaylist.render(List.of(
        new MediaPlaylist.Entry(a, 1, 0, "live.hls/e-65886-0.mp3", Instant.parse("2026-12-06T18:00:00Z"), "aa"),
        new MediaPlaylist.Entry(b, 2, 0, "live.hls/e-131400-0.mp3",
            Instant.parse("2026-12-06T18:00:04.075Z"), "bb")));
    assertThat(text).isEqualTo("""
        #EXTM3U
        #EXT-X-VERSION:3
        #EXT-X-TARGETDURATION:6
        #EXT-X-MEDIA-SEQUENCE:1
        #EXT-X-PROGRAM-DATE-TIME:2026-12-06T18:00:00.000Z
        #EXTINF:4.075,
        #EXT-X-FLOE-SHA256:aa
        live.hls/e-65886-0.mp3
        #EXT-X-PROGRAM-DATE-TIME:2026-12-06T18:00:04.075Z
        #EXTINF:5.600,
        #EXT-X-FLOE-SHA256:bb
        live.hls/e-131400-0.mp3
        """);
  }

  @Test
  void aRestartedStreamIsMarkedAsADiscontinuityAndNumberedOn() {
    Segmenter.Segment old = new Segmenter.Segment(917_504, 983_040, 0, 4_100_000_000L, "", 0,
        65_536, 16_000);
    Segmenter.Segment fresh = new Segmenter.Segment(45, 65_560, 0, 4_100_000_000L, "", 0,
        65_536, 16_000);
    Instant t = Instant.parse("2026-12-06T18:00:00Z");
    String text = MediaPlaylist.render(List.of(
        new MediaPlaylist.Entry(old, 14, 2, "live.hls/a-917504-0.mp3", t, "aa"),
        new MediaPlaylist.Entry(fresh, 15, 3, "live.hls/b-45-0.mp3", t.plusSeconds(6), "bb")));
    assertThat(text).contains("#EXT-X-MEDIA-SEQUENCE:14\n#EXT-X-DISCONTINUITY-SEQUENCE:2\n")
        .contains("live.hls/a-917504-0.mp3\n#EXT-X-DISCONTINUITY\n#EXT-X-PROGRAM-DATE-TIME")
        .containsOnlyOnce("#EXT-X-DISCONTINUITY\n");
    // only the new run listed: no tag between segments, its number in the header
    assertThat(MediaPlaylist.render(List.of(
        new MediaPlaylist.Entry(fresh, 15, 3, "live.hls/b-45-0.mp3", t, "bb"))))
        .contains("#EXT-X-MEDIA-SEQUENCE:15\n#EXT-X-DISCONTINUITY-SEQUENCE:3\n")
        .doesNotContain("#EXT-X-DISCONTINUITY\n");
  }

  @Test
  void anEmptyWindowIsStillAValidLivePlaylist() {
    assertThat(MediaPlaylist.render(List.of())).isEqualTo(
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n#EXT-X-MEDIA-SEQUENCE:0\n");
  }
}
