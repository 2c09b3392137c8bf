package dev.floe.proxy.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The upstream's next attempt after a failure, on the status page and in the status JSON. */
class NextAttemptTest {
  private static MountStatus retrying(boolean live, Instant next, String why) {
    MountStatus m = Fixtures.bare("/live");
    return new MountStatus(m.mount(), m.listenUrl(), "audio/mpeg", null, null, null, null, null,
        null, null, null, 0, 0, null, null, live, null, 0, 0, 0, 3, 0, 0.0,
        new MountStatus.Resume("00000000000000ab", 1000, 0, -1, 0, 0, 0, next, why));
  }

  @Test
  void aMountThatIsDownShowsWhenItIsTriedNextAndWhy() {
    MountStatus m = retrying(false, Instant.parse("2026-12-06T13:30:05Z"),
        "upstream answered 404 File Not Found");
    String json = StatusJson.render(Fixtures.server(), List.of(m));
    assertThat(json).contains("\"floe_next_attempt\":\"2026-12-06T13:30:05Z\"")
        .contains("\"floe_last_failure\":\"upstream answered 404 File Not Found\"");
    String html = StatusPage.render(Fixtures.server(), List.of(m));
    assertThat(html).contains("<dt>Next attempt</dt>").contains("404 File Not Found");
  }

  @Test
  void noRetryPendingShowsNothing() {
    MountStatus m = retrying(true, null, null);
    assertThat(StatusJson.render(Fixtures.server(), List.of(m))).doesNotContain("floe_next")
        .doesNotContain("floe_last_failure");
    assertThat(StatusPage.render(Fixtures.server(), List.of(m))).doesNotContain("Next attempt");
  }
}
