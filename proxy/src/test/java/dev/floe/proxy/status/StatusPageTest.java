package dev.floe.proxy.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class StatusPageTest {
  private static final Pattern TAG = Pattern.compile("<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>");
  private static final Set<String> VOID = Set.of("meta", "br", "hr", "img", "link", "input");

  /** Every non-void element is closed in order: a cheap well-formedness check. */
  private static void assertBalanced(String html) {
    Deque<String> open = new ArrayDeque<>();
    // The page's one inline script holds markup in strings: check the document around it.
    html = html.replaceAll("(?s)<script>.*?</script>", "");
    Matcher m = TAG.matcher(html);
    while (m.find()) {
      String name = m.group(2).toLowerCase();
      if (VOID.contains(name)) {
        continue;
      }
      if (m.group(1).isEmpty()) {
        open.push(name);
      } else {
        assertThat(open).as("closing </%s> at %d", name, m.start()).isNotEmpty();
        assertThat(open.pop()).as("closing </%s> at %d", name, m.start()).isEqualTo(name);
      }
    }
    assertThat(open).as("unclosed").isEmpty();
  }

  @Test
  void isHtml5ForPhones() {
    String html = StatusPage.render(Fixtures.server(), List.of(Fixtures.mount("/live", "t")));

    assertThat(html).startsWith("<!DOCTYPE html>\n<html lang=\"en\">");
    assertThat(html).contains("<meta charset=\"utf-8\">")
        .contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .contains("<title>Floe 0.1.0 status</title>")
        .contains("<style>")
        .doesNotContain("<script src");
    assertThat(html.split("<script", -1)).as("exactly one inline script").hasSize(2);
    assertBalanced(html);
  }

  @Test
  void hasASectionPerMountWithItsFields() {
    String html = StatusPage.render(Fixtures.server(), List.of(
        Fixtures.mount("/a", "Song A"), Fixtures.bare("/b"), Fixtures.mount("/c", "Song C")));

    assertThat(html.split("<section ", -1)).hasSize(4);
    assertThat(html).contains("<section data-mount=\"/a\">")
        .contains("<svg class=\"spark\" data-key=\"listeners\"");
    assertThat(html).contains("<h2>/a</h2>", "<h2>/b</h2>", "<h2>/c</h2>");
    assertThat(html).contains("<dt>Title</dt><dd>Song A</dd>", "<dt>Title</dt><dd>Song C</dd>");
    assertThat(html).contains("<dt>Listeners</dt><dd class=\"listeners\">3 (peak 7)</dd>")
        .contains("<dt>Listeners</dt><dd class=\"listeners\">0 (peak 0)</dd>")
        .contains("<span class=\"live\">live</span>")
        .contains("<span class=\"waiting\">waiting</span>")
        .contains("<dt>Upstream</dt><dd>http://origin.example:8000/a</dd>")
        .contains("<dt>Format</dt><dd>audio/mpeg, 128 kbit/s</dd>")
        .contains("<dt>Buffer</dt><dd>4.096 s</dd>")
        .contains("<dt>Slow listeners dropped</dt><dd>1</dd>")
        .contains("<a href=\"/a.m3u\">m3u</a><a href=\"/a.pls\">pls</a>"
            + "<a href=\"/a.xspf\">xspf</a>")
        .contains("<a href=\"/b.m3u\">m3u</a>")
        .contains("<a href=\"http://localhost:8000/c\">http://localhost:8000/c</a>");
    assertBalanced(html);
  }

  @Test
  void bareMountShowsNoEmptyRows() {
    String html = StatusPage.render(Fixtures.server(), List.of(Fixtures.bare("/b")));

    assertThat(html).doesNotContain("<dt>Title</dt>").doesNotContain("<dt>Upstream</dt>")
        .doesNotContain("<dt>Format</dt>").contains("<dt>Buffer</dt><dd>0 s</dd>");
    assertBalanced(html);
  }

  @Test
  void noMounts() {
    String html = StatusPage.render(new ServerInfo(null, null, null, null, null), List.of());

    assertThat(html).contains("<p>No mounts.</p>").contains("<title>Floe status</title>");
    assertBalanced(html);
  }

  @Test
  void escapesEverythingFromStrangers() {
    String evil = "<script>alert(\"x\")</script>&'";
    MountStatus m = new MountStatus("/m\"><script>", "javascript:alert(1)", evil,
        evil, evil, evil, evil, evil, 1, 2, 3, 0, 0, evil, null, false, evil,
        0, 0, 0, 0, 0, 0.5, null);
    String html = StatusPage.render(
        new ServerInfo(evil, evil, evil, evil, null), List.of(m));

    assertThat(html.split("<script", -1)).as("only the page's own script").hasSize(2);
    assertThat(html).doesNotContain("<script>alert").doesNotContain("\"x\"")
        .doesNotContain("href=\"javascript:")
        .contains("<section data-mount=\"/m&quot;&gt;&lt;script&gt;\">");
    assertThat(html).contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;");
    assertThat(html).contains("<dt>Title</dt><dd>&lt;script&gt;alert(&quot;x&quot;)"
        + "&lt;/script&gt;&amp;&#39;</dd>");
    assertThat(html).contains("<a href=\"/m%22%3E%3Cscript%3E.m3u\">");
    assertThat(html).contains("<dt>Listen</dt><dd>javascript:alert(1)</dd>");
    assertBalanced(html);
  }

  @Test
  void pathHrefEncodesOutsidePathCharacters() {
    assertThat(StatusPage.pathHref("/live")).isEqualTo("/live");
    assertThat(StatusPage.pathHref("live")).isEqualTo("/live");
    assertThat(StatusPage.pathHref("/a b?c#d/é")).isEqualTo("/a%20b%3Fc%23d/%C3%A9");
  }
}
