package dev.floe.proxy.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.floe.proxy.admin.AdminRequest;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@link AdminRequest#parse} with hostile paths and queries: {@code Parsed} or {@code Rejected}
 * (400 with a message and a body), never an exception; only {@code /admin.cgi} carries a query
 * password.
 */
class AdminRequestFuzzTest {
  private static final String[] PATHS = {
    "/admin/stats", "/admin/stats.xml", "/admin/listmounts", "/admin/listclients",
    "/admin/metadata", "/admin/killclient", "/admin/killsource", "/admin/moveclients",
    "/admin/fallbacks", "/admin/streamlist.txt", "/admin/metadata.json", "/admin/killclient.json",
    "/admin/moveclients.json", "/admin.cgi", "/admin/"
  };

  @FuzzTest(maxDuration = "5s")
  void parse(FuzzedDataProvider data) {
    String path = data.consumeBoolean() ? data.pickValue(PATHS) : data.consumeString(64);
    Set<String> mounts = new HashSet<>(List.of("/live", "/stream", data.consumeString(16)));
    String query = data.consumeBoolean() ? null : data.consumeRemainingAsString();

    AdminRequest.Result r = AdminRequest.parse(path, query, mounts::contains);
    assertThat(r).isNotNull();
    if (r instanceof AdminRequest.Rejected rejected) {
      assertThat(rejected.status()).isEqualTo(400);
      assertThat(rejected.message()).isNotBlank();
      assertThat(rejected.body()).isNotBlank();
    } else {
      AdminRequest.Parsed parsed = (AdminRequest.Parsed) r;
      assertThat(parsed.command()).isNotNull();
      assertThat(parsed.format()).isNotNull();
      if (!path.equals("/admin.cgi")) {
        assertThat(parsed.queryPassword()).isNull();
      }
    }
  }
}
