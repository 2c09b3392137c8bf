package dev.floe.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hls.js model's decisions, with times supplied by the test. */
class HlsSessionTest {
  private static final long S = 1_000_000_000L;

  /** A live playlist of {@code n} 4 s segments from {@code first}, target duration 5. */
  private static HlsPlaylist live(long first, int n) {
    List<HlsPlaylist.Entry> e = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      e.add(new HlsPlaylist.Entry(first + i, "s" + (first + i) + ".mp3", 4.0));
    }
    return new HlsPlaylist(5, first, e, false);
  }

  @Test
  void startsThreeSegmentsFromTheLiveEdgeAndFetchesInOrder() {
    HlsSession s = new HlsSession(new PlayerModel(1, 16_000));
    s.playlist(0, S / 10, live(100, 10));
    assertThat(s.nextSegment().sequence()).isEqualTo(107);
    s.segment(S / 5, 107, 64_000);
    assertThat(s.nextSegment().sequence()).isEqualTo(108);
    s.segment(S / 4, 108, 64_000);
    s.segment(S / 3, 109, 64_000);
    assertThat(s.nextSegment()).isNull(); // the live edge: wait for the next playlist
    assertThat(s.segments()).isEqualTo(3);
    assertThat(s.outOfOrder()).isZero();
    assertThat(s.player().started()).isTrue();
  }

  @Test
  void aShortPlaylistStartsAtItsFirstSegment() {
    HlsSession s = new HlsSession(new PlayerModel(1, 16_000));
    s.playlist(0, 0, live(0, 2));
    assertThat(s.nextSegment().sequence()).isZero();
    HlsSession empty = new HlsSession(new PlayerModel(1, 16_000));
    empty.playlist(0, 0, live(7, 0));
    assertThat(empty.nextSegment()).isNull();
  }

  @Test
  void reloadsOneTargetDurationAfterTheLoadStartedOrHalfWhenNothingChanged() {
    HlsSession s = new HlsSession(new PlayerModel(1, 16_000));
    assertThat(s.reloadDueNs()).isEqualTo(Long.MIN_VALUE);
    s.playlist(10 * S, 10 * S + S / 10, live(0, 5));
    assertThat(s.reloadDueNs()).isEqualTo(15 * S);
    s.playlist(15 * S, 15 * S + S / 10, live(0, 5)); // unchanged
    assertThat(s.reloadDueNs()).isEqualTo(15 * S + 5 * S / 2);
    s.playlist(18 * S, 18 * S + S / 10, live(1, 5)); // one new segment
    assertThat(s.reloadDueNs()).isEqualTo(23 * S);
    // a load slower than the interval: reload at once
    s.playlist(23 * S, 30 * S, live(2, 5));
    assertThat(s.reloadDueNs()).isEqualTo(30 * S);
    assertThat(s.playlists()).isEqualTo(4);
  }

  @Test
  void aPlayerLeftBehindTheWindowJumpsToTheLiveEdgeAndCountsASkip() {
    HlsSession s = new HlsSession(new PlayerModel(1, 16_000));
    s.playlist(0, 0, live(0, 5));
    s.segment(S, 2, 64_000);
    s.playlist(5 * S, 5 * S, live(10, 5)); // segment 3 has left the window
    assertThat(s.skips()).isEqualTo(1);
    assertThat(s.nextSegment().sequence()).isEqualTo(12);
    s.segment(6 * S, 12, 64_000);
    assertThat(s.outOfOrder()).isEqualTo(1);
  }

  @Test
  void aSegmentOutOfOrderIsCounted() {
    HlsSession s = new HlsSession(new PlayerModel(1, 16_000));
    s.playlist(0, 0, live(0, 10));
    s.segment(S, 7, 10);
    s.segment(S, 9, 10);
    s.segment(S, 9, 10);
    assertThat(s.outOfOrder()).isEqualTo(2);
  }

  @Test
  void aSegmentLateForThePlayerIsAStall() {
    HlsSession s = new HlsSession(new PlayerModel(1, 16_000));
    s.playlist(0, 0, live(0, 1));
    s.segment(0, 0, 64_000); // 4 s of audio
    s.playlist(5 * S, 5 * S, live(0, 2));
    s.segment(6 * S, 1, 64_000); // 2 s late
    assertThat(s.player().underruns()).isEqualTo(1);
    assertThat(s.player().underrunNs()).isEqualTo(2 * S);
  }

  @Test
  void anEndedOrShrinkingPlaylistIsAnError() {
    HlsSession s = new HlsSession(new PlayerModel(1, 16_000));
    assertThatThrownBy(() -> s.playlist(0, 0, new HlsPlaylist(5, 0, List.of(), true)))
        .hasMessageContaining("ENDLIST");
    s.playlist(0, 0, live(10, 5));
    assertThatThrownBy(() -> s.playlist(S, S, live(9, 5))).hasMessageContaining("backwards");
  }
}
