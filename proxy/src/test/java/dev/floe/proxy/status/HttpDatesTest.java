package dev.floe.proxy.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class HttpDatesTest {
  private static final Instant T = Instant.parse("2020-05-06T17:49:37.987Z");

  @Test
  void rfc1123ForHeaders() {
    assertThat(HttpDates.rfc1123(T)).isEqualTo("Wed, 06 May 2020 17:49:37 GMT");
    assertThat(HttpDates.rfc1123(Instant.EPOCH)).isEqualTo("Thu, 01 Jan 1970 00:00:00 GMT");
  }

  @Test
  void icecastFormatsInUtc() {
    assertThat(HttpDates.icecast(T)).isEqualTo("Wed, 06 May 2020 17:49:37 +0000");
    assertThat(HttpDates.icecastIso8601(T)).isEqualTo("2020-05-06T17:49:37+0000");
  }

  @Test
  void englishNamesWhateverTheDefaultLocale() {
    Locale saved = Locale.getDefault();
    try {
      Locale.setDefault(Locale.GERMANY);
      assertThat(HttpDates.rfc1123(Instant.parse("2021-12-01T01:02:03Z")))
          .isEqualTo("Wed, 01 Dec 2021 01:02:03 GMT");
      assertThat(HttpDates.icecast(Instant.parse("2021-03-01T01:02:03Z")))
          .isEqualTo("Mon, 01 Mar 2021 01:02:03 +0000");
    } finally {
      Locale.setDefault(saved);
    }
  }
}
