package dev.floe.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The admin page's content: controls per mount and listener, and hostile text escaped. */
class AdminWebPageTest {
  private static AdminMount mount(String path, String title, List<AdminListener> clients) {
    return new AdminMount(path, "audio/mpeg", clients.size(), clients.size(), 10, null, false,
        title, Map.of("server_name", "Night <Radio>", "source_ip", "10.0.0.9"), clients);
  }

  @Test
  void everyMountHasItsControlsAndHostileTextIsEscaped() {
    String page = AdminWebPage.render("Icecast 2.4.4 (Floe)", "radio.example.org", List.of(
        mount("/live", "A & B", List.of(new AdminListener(7, "192.0.2.1",
            "<script>alert(1)</script>", 3725, null))),
        mount("/jazz", null, List.of())));

    assertThat(page).contains("<title>Admin: radio.example.org</title>")
        .contains("name=\"viewport\"")
        .contains("Night &lt;Radio&gt;").contains("Now playing: <b>A &amp; B</b>")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>alert")
        .contains("<td data-l=\"Connected\">1h 2m</td>")
        .contains("<input type=\"hidden\" name=\"id\" value=\"7\">")
        .contains("<option value=\"/jazz\">/jazz</option>") // /live's listeners may move there
        .contains("from 10.0.0.9");
    // one title form per mount, one kick per listener, one move form (only /live has listeners)
    assertThat(page.split("data-cmd=\"/admin/metadata\"", -1)).hasSize(3);
    assertThat(page.split("data-cmd=\"/admin/killclient\"", -1)).hasSize(2);
    assertThat(page.split("data-cmd=\"/admin/moveclients\"", -1)).hasSize(2);
  }

  @Test
  void theMetadataFormPostsToTheMount() {
    assertThat(AdminWebPage.metadataForm("/live", null))
        .contains("<h1>Update metadata: /live</h1>").contains("(no title)")
        .contains("<form action=\"/admin/metadata\"><input type=\"hidden\" name=\"mount\""
            + " value=\"/live\"><input type=\"hidden\" name=\"mode\" value=\"updinfo\">");
  }
}
