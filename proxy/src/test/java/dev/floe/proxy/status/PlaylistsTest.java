package dev.floe.proxy.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class PlaylistsTest {

  @Test
  void contentTypes() {
    assertThat(Playlists.M3U_CONTENT_TYPE).isEqualTo("audio/x-mpegurl");
    assertThat(Playlists.PLS_CONTENT_TYPE).isEqualTo("audio/x-scpls");
    assertThat(Playlists.XSPF_CONTENT_TYPE).isEqualTo("application/xspf+xml");
  }

  @Test
  void m3uIsTheUrlAndCrlf() {
    assertThat(Playlists.m3u("http://example.org:8000/live"))
        .isEqualTo("http://example.org:8000/live\r\n");
  }

  @Test
  void m3uCannotGainLines() {
    assertThat(Playlists.m3u("http://a:1/x\r\nhttp://evil/")).isEqualTo("http://a:1/x  http://evil/\r\n");
  }

  @Test
  void plsExact() {
    assertThat(Playlists.pls("http://example.org:8000/live", "My Radio"))
        .isEqualTo("[playlist]\nNumberOfEntries=1\nFile1=http://example.org:8000/live\n"
            + "Title1=My Radio\nLength1=-1\nVersion=2\n");
  }

  @Test
  void plsTitleCannotInjectEntries() {
    assertThat(Playlists.pls("http://h:1/m", "x\nFile2=http://evil/\r\nNumberOfEntries=2"))
        .isEqualTo("[playlist]\nNumberOfEntries=1\nFile1=http://h:1/m\n"
            + "Title1=x File2=http://evil/  NumberOfEntries=2\nLength1=-1\nVersion=2\n");
  }

  @Test
  void plsWithoutTitle() {
    assertThat(Playlists.pls("http://h:1/m", null))
        .isEqualTo("[playlist]\nNumberOfEntries=1\nFile1=http://h:1/m\nLength1=-1\nVersion=2\n");
  }

  @Test
  void xspfExact() {
    assertThat(Playlists.xspf("http://h:8000/live", "Song", "Artist", "Stream Title: R"))
        .isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<playlist version=\"1\" xmlns=\"http://xspf.org/ns/0/\">\n"
            + "  <trackList>\n"
            + "    <track>\n"
            + "      <location>http://h:8000/live</location>\n"
            + "      <creator>Artist</creator>\n"
            + "      <title>Song</title>\n"
            + "      <annotation>Stream Title: R</annotation>\n"
            + "    </track>\n"
            + "  </trackList>\n"
            + "</playlist>\n");
  }

  @Test
  void xspfOmitsNullCreator() {
    assertThat(Playlists.xspf("http://h:8000/live", "Song", null, "a"))
        .doesNotContain("creator")
        .contains("<title>Song</title>");
  }

  @Test
  void xspfEscapesAndParsesBack() throws Exception {
    String title = "<script>alert('x')</script> & \"Tom\" \u0001 Rós";
    String xml = Playlists.xspf("http://h:8000/a?b=1&c=2", title, "A&B", "line1\nline2 <i>");

    assertThat(xml).contains("<title>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; "
        + "&quot;Tom&quot; \uFFFD Rós</title>");
    assertThat(xml).doesNotContain("<script>").doesNotContain("\u0001");
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    Document doc = f.newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    Element root = doc.getDocumentElement();
    assertThat(root.getNamespaceURI()).isEqualTo("http://xspf.org/ns/0/");
    assertThat(root.getAttribute("version")).isEqualTo("1");
    assertThat(root.getElementsByTagName("location").item(0).getTextContent())
        .isEqualTo("http://h:8000/a?b=1&c=2");
    assertThat(root.getElementsByTagName("title").item(0).getTextContent())
        .isEqualTo("<script>alert('x')</script> & \"Tom\" \uFFFD Rós");
    assertThat(root.getElementsByTagName("creator").item(0).getTextContent()).isEqualTo("A&B");
    assertThat(root.getElementsByTagName("annotation").item(0).getTextContent())
        .isEqualTo("line1\nline2 <i>");
  }

  @Test
  void annotationLikeIcecast() {
    assertThat(Playlists.annotation(Fixtures.mount("/live", "t")))
        .isEqualTo("Stream Title: Radio /live\nStream Description: Best of /live\n"
            + "Content Type: audio/mpeg\nBitrate: 128\nCurrent Listeners: 3\n"
            + "Peak Listeners: 7\nStream Genre: Jazz");
    assertThat(Playlists.annotation(Fixtures.bare("/b")))
        .isEqualTo("Current Listeners: 0\nPeak Listeners: 0");
  }

  @Test
  void listenUrlIgnoresHostWithoutPort() {
    assertThat(Playlists.listenUrl("example.org", "radio.local", 8000, "/live", false))
        .isEqualTo("http://radio.local:8000/live");
  }

  @Test
  void listenUrlUsesHostWithPort() {
    assertThat(Playlists.listenUrl("example.org:9000", "radio.local", 8000, "/live", false))
        .isEqualTo("http://example.org:9000/live");
    assertThat(Playlists.listenUrl("example.org:9000", "radio.local", 8000, "/live", true))
        .isEqualTo("https://example.org:9000/live");
  }

  @Test
  void listenUrlIpv6() {
    assertThat(Playlists.listenUrl("[::1]:8000", "radio.local", 9999, "/live", false))
        .isEqualTo("http://[::1]:8000/live");
    // A bracketed literal without a port has no port: configured host, as for names.
    assertThat(Playlists.listenUrl("[::1]", "radio.local", 9999, "/live", false))
        .isEqualTo("http://radio.local:9999/live");
    // A configured IPv6 literal gets brackets.
    assertThat(Playlists.listenUrl(null, "2001:db8::1", 8000, "/live", true))
        .isEqualTo("https://[2001:db8::1]:8000/live");
  }

  @Test
  void listenUrlWithoutHostHeader() {
    assertThat(Playlists.listenUrl(null, "radio.local", 8000, "/live", false))
        .isEqualTo("http://radio.local:8000/live");
    assertThat(Playlists.listenUrl("", "radio.local", 8000, "live", false))
        .isEqualTo("http://radio.local:8000/live");
  }

  @Test
  void listenUrlRejectsImplausibleHostHeaders() {
    for (String bad : new String[] {"evil.org/x:80", "a b:80", "example.org:", "example.org:80x",
        ":8000", "[::1]x:80", "[::1", "\"><script>:1", "example.org:123456", "[]:80"}) {
      assertThat(Playlists.listenUrl(bad, "radio.local", 8000, "/live", false))
          .as(bad)
          .isEqualTo("http://radio.local:8000/live");
    }
  }
}
