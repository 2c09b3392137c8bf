package dev.floe.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.proxy.admin.AdminRequest.Format;
import dev.floe.proxy.admin.AdminRequest.Parsed;
import dev.floe.proxy.admin.AdminRequest.Rejected;
import dev.floe.proxy.admin.SourceHeaders.Header;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The pure parts without icecast2: edge cases the parity tests cannot reach. */
class AdminUnitTest {
  private static final Predicate<String> LIVE = Set.of("/a", "/b", "/stream")::contains;

  private static AdminMount mount(String name, boolean hidden, List<AdminListener> clients) {
    return new AdminMount(name, "audio/mpeg", clients.size(), 3, 42, null, hidden, null,
        Map.of("public", "yes", "total_bytes_read", "12x", "genre", "g"), clients);
  }

  @Test
  void parsesEveryCommand() {
    assertThat(AdminRequest.parse("/admin/stats", null, LIVE))
        .isEqualTo(new Parsed(new AdminCommand.Stats(null), Format.XML, null));
    assertThat(AdminRequest.parse("/admin/stats.json", "mount=/a", LIVE))
        .isEqualTo(new Parsed(new AdminCommand.Stats("/a"), Format.JSON, null));
    assertThat(AdminRequest.parse("/admin/listmounts.json", "", LIVE))
        .isEqualTo(new Parsed(new AdminCommand.ListMounts(), Format.JSON, null));
    assertThat(AdminRequest.parse("/admin/listclients", "mount=%2Fa", LIVE))
        .isEqualTo(new Parsed(new AdminCommand.ListClients("/a"), Format.XML, null));
    assertThat(AdminRequest.parse("/admin/killclient.json", "mount=/a&id=+17x", LIVE))
        .isEqualTo(new Parsed(new AdminCommand.KillClient("/a", 17), Format.JSON, null));
    assertThat(AdminRequest.parse("/admin/killsource", "mount=/a", LIVE))
        .isEqualTo(new Parsed(new AdminCommand.KillSource("/a"), Format.XML, null));
    assertThat(AdminRequest.parse("/admin/moveclients", "mount=/a&destination=/b", LIVE))
        .isEqualTo(new Parsed(new AdminCommand.MoveClients("/a", "/b"), Format.XML, null));
    assertThat(AdminRequest.parse("/admin/fallbacks", "mount=/a&fallback=/b", LIVE))
        .isEqualTo(new Parsed(new AdminCommand.Fallbacks("/a", "/b"), Format.HTML, null));
    assertThat(AdminRequest.parse("/admin/metadata", "mount=/a&mode=other", LIVE))
        .isEqualTo(new Parsed(new AdminCommand.MetadataNoSuchAction("/a", "other"), Format.XML,
            null));
  }

  @Test
  void metadataDecodesCharsetsAndArtistTitle() {
    AdminCommand.UpdateMetadata m = update("/admin/metadata",
        "mount=/a&mode=updinfo&artist=Bj%C3%B6rk&title=J%F3ga");
    assertThat(m.artist()).isEqualTo("Bj\u00f6rk"); // valid UTF-8
    assertThat(m.title()).isEqualTo("J\u00f3ga"); // not UTF-8: ISO-8859-1
    assertThat(m.song()).isNull();
    assertThat(m.charset()).isNull();
    m = update("/admin/metadata", "mount=/a&mode=updinfo&song=%E9&charset=windows-1252");
    assertThat(m.song()).isEqualTo("\u00e9");
    assertThat(m.charset()).isEqualTo(java.nio.charset.Charset.forName("windows-1252"));
    m = update("/admin/metadata", "mount=/a&mode=updinfo&song=%E2%82%AC&charset=no-such-cs");
    assertThat(m.song()).isEqualTo("\u20ac");
    m = update("/admin/metadata", "mount=/a&mode=updinfo&song=bad%zz%4&x");
    assertThat(m.song()).isEqualTo("bad%zz%4");
    m = update("/admin/metadata", "mount=/a&mode=updinfo&song=raw\u00e9\ud83d\ude00");
    assertThat(m.song()).isEqualTo("raw\u00e9\ud83d\ude00");
    assertThat(m.shoutcast()).isFalse();
  }

  @Test
  void shoutcastAdminCgi() {
    Parsed p = (Parsed) AdminRequest.parse("/admin.cgi", "pass=pw&mode=updinfo&song=a+b", LIVE);
    assertThat(p).isEqualTo(new Parsed(new AdminCommand.UpdateMetadata("/stream", "a b", null,
        null, null, true), Format.HTML, "pw"));
    assertThat(AdminRequest.parse("/admin.cgi", "pass=pw&mode=updinfo", LIVE))
        .isEqualTo(new Rejected(400, AdminMessages.MISSING_PARAMETER));
    assertThat(AdminRequest.parse("/admin.cgi", "pass=pw&mode=x&song=s", LIVE))
        .isEqualTo(new Rejected(400, AdminMessages.NO_SUCH_ACTION));
    assertThat(AdminRequest.parse("/admin.cgi", "mode=updinfo&song=s", LIVE, "/other"))
        .isEqualTo(new Rejected(400, AdminMessages.SOURCE_DOES_NOT_EXIST));
  }

  @Test
  void rejectsInIcecastsOrder() {
    assertThat(AdminRequest.parse("/admin/listclients.xsl", null, LIVE))
        .isEqualTo(new Rejected(400, AdminMessages.UNRECOGNISED_COMMAND));
    assertThat(AdminRequest.parse("/admin/streamlist.txt.json", null, LIVE))
        .isEqualTo(new Rejected(400, AdminMessages.UNRECOGNISED_COMMAND));
    assertThat(AdminRequest.parse("/other", null, LIVE))
        .isEqualTo(new Rejected(400, AdminMessages.UNRECOGNISED_COMMAND));
    assertThat(AdminRequest.parse("/admin/moveclients", "destination=/b", LIVE))
        .isEqualTo(new Rejected(400, AdminMessages.UNKNOWN_ADMIN_REQUEST));
    assertThat(AdminRequest.parse("/admin/killclient", "mount=/zz", LIVE))
        .isEqualTo(new Rejected(400, AdminMessages.SOURCE_DOES_NOT_EXIST));
    assertThat(AdminRequest.parse("/admin/fallbacks", "mount=/a", LIVE))
        .isEqualTo(new Rejected(400, AdminMessages.MISSING_PARAMETER));
    Rejected r = (Rejected) AdminRequest.parse("/admin/metadata", "mount=/a", LIVE);
    assertThat(r.body()).isEqualTo("<html><head><title>Error 400</title></head><body><b>400 - "
        + "Missing parameter</b></body></html>\r\n");
  }

  private static AdminCommand.UpdateMetadata update(String path, String query) {
    return (AdminCommand.UpdateMetadata) ((Parsed) AdminRequest.parse(path, query, LIVE))
        .command();
  }

  @Test
  void xmlEscapesAsLibxml2() {
    AdminMount m = mount("/a\"<&\u00e9\n", false, List.of(
        new AdminListener(9, "::1", null, 5, "u\r\u0001\ud800x\ud83d\ude00"),
        new AdminListener(3, "1.2.3.4", "t\tab\"'", 6, null)));
    assertThat(AdminXml.listClients(m)).isEqualTo("<?xml version=\"1.0\"?>\n"
        + "<icestats><source mount=\"/a&quot;&lt;&amp;&#xE9;&#10;\"><Listeners>2</Listeners>"
        + "<listener><IP>1.2.3.4</IP><UserAgent>t\tab\"'</UserAgent><Connected>6</Connected>"
        + "<ID>3</ID></listener>"
        + "<listener><IP>::1</IP><UserAgent>Unknown</UserAgent><Connected>5</Connected><ID>9</ID>"
        + "<username>u&#13;&#xFFFD;&#xFFFD;x&#x1F600;</username></listener>"
        + "</source></icestats>\n");
  }

  @Test
  void statsMergeRecordFieldsOverTheMap() {
    AdminServer server = new AdminServer("a@b", null, "L", "Floe", Instant.ofEpochSecond(0),
        Map.of("sources", "1", "admin", "overridden"));
    AdminMount m = new AdminMount("/a", "audio/aac", 1, 2, 3, "/b", true, "T",
        Map.of("listeners", "99", "server_type", "x", "bitrate", "128"), List.of());
    assertThat(AdminXml.stats(server, List.of(m), null)).isEqualTo("<?xml version=\"1.0\"?>\n"
        + "<icestats><admin>a@b</admin><location>L</location><server_id>Floe</server_id>"
        + "<server_start>Thu, 01 Jan 1970 00:00:00 +0000</server_start>"
        + "<server_start_iso8601>1970-01-01T00:00:00+0000</server_start_iso8601>"
        + "<sources>1</sources><source mount=\"/a\"><bitrate>128</bitrate>"
        + "<listener_peak>2</listener_peak><listeners>1</listeners>"
        + "<server_type>audio/aac</server_type><title>T</title></source></icestats>\n");
    assertThat(AdminXml.stats(server, List.of(m), "/zz")).doesNotContain("<source ");
    assertThat(AdminXml.listMounts(List.of(m))).contains("<fallback>/b</fallback>");
    assertThat(AdminXml.response("Client 3 removed", true)).isEqualTo("<?xml version=\"1.0\"?>\n"
        + "<iceresponse><message>Client 3 removed</message><return>1</return></iceresponse>\n");
  }

  @Test
  void jsonShapes() {
    AdminServer server = new AdminServer(null, "h", null, null, null,
        Map.of("listeners", "2", "clients", "x"));
    AdminMount a = mount("/a", false, List.of(new AdminListener(2, "ip", "ua\"", 7, null),
        new AdminListener(1, "ip1", null, 8, "user")));
    AdminMount b = new AdminMount("/b", "audio/ogg", 0, 0, 1, "/a", false, "\u2028", Map.of(),
        List.of());
    assertThat(AdminJson.stats(server, List.of(b, a), null)).isEqualTo("[{\"clients\":0,"
        + "\"host\":\"h\",\"listeners\":2,\"source\":{\"/a\":{\"genre\":\"g\","
        + "\"listener_peak\":3,\"listeners\":2,\"public\":true,\"server_type\":\"audio/mpeg\","
        + "\"total_bytes_read\":12},\"/b\":{\"listener_peak\":0,\"listeners\":0,"
        + "\"server_type\":\"audio/ogg\",\"title\":\"\\u2028\"}}}]");
    assertThat(AdminJson.stats(server, List.of(), null)).doesNotContain("source");
    assertThat(AdminJson.listMounts(List.of(a, b))).isEqualTo("[{\"source\":{\"/a\":"
        + "{\"listeners\":2,\"connected\":\"42\",\"content-type\":\"audio/mpeg\"},\"/b\":"
        + "{\"fallback\":\"/a\",\"listeners\":0,\"connected\":\"1\",\"content-type\":"
        + "\"audio/ogg\"}}}]");
    assertThat(AdminJson.moveClientsChoices("/a", List.of(a))).isEqualTo(
        "[{\"current_source\":\"/a\"}]");
    assertThat(AdminJson.listClients(a)).isEqualTo("[{\"source\":{\"/a\":{\"listeners\":2,"
        + "\"listener\":[{\"id\":1,\"ip\":\"ip1\",\"connected\":8,\"username\":\"user\"},"
        + "{\"id\":2,\"ip\":\"ip\",\"useragent\":\"ua\\\"\",\"connected\":7}]}}}]");
    assertThat(AdminJson.response("No such action", false))
        .isEqualTo("{\"message\":\"No such action\",\"success\":false}");
    assertThat(AdminJson.strtoll(" -12ab")).isEqualTo(-12);
    assertThat(AdminJson.strtoll("99999999999999999999")).isEqualTo(Long.MAX_VALUE);
    assertThat(AdminJson.strToBool("On")).isTrue();
    assertThat(AdminJson.strToBool("0")).isFalse();
  }

  @Test
  void streamListSkipsHiddenAndLineBreaks() {
    assertThat(StreamList.render(List.of(mount("/z", false, List.of()),
        mount("/h", true, List.of()), mount("/a\r\n/evil", false, List.of()),
        mount("/b", false, List.of())))).isEqualTo("/b\r\n/z\r\n");
    assertThat(StreamList.render(List.of())).isEmpty();
  }

  @Test
  void sourceHeadersEdgeCases() {
    assertThat(SourceHeaders.forListeners(List.of(new Header("Ice-Audio-Info", "bitrate= 99x"),
        new Header("ice-audio-info", "bitrate=abc")))).containsExactly(
        new Header("ice-audio-info", "bitrate=abc"));
    assertThat(SourceHeaders.lines(SourceHeaders.forListeners(List.of(
        new Header("ice-audio-info", " bitrate= 99999999999 "), new Header("icy-br", "1")))))
        .isEqualTo("icy-br:4294967295\r\nice-audio-info: bitrate= 99999999999\r\nicy-br:1\r\n");
    assertThat(SourceHeaders.forListeners(List.of(new Header("ice-password", "x"),
        new Header("icy-metaint", "1"), new Header("host", "h")))).isEmpty();
  }

  @Test
  void basicAuth() {
    String token = Base64.getEncoder().encodeToString(
        "admin:pa:ss\u00e9".getBytes(StandardCharsets.UTF_8));
    BasicAuth.Credentials c = BasicAuth.parse("bAsIc  " + token + " ").orElseThrow();
    assertThat(c.user()).isEqualTo("admin");
    assertThat(c.password()).isEqualTo("pa:ss\u00e9");
    assertThat(c.matches("admin", "pa:ss\u00e9")).isTrue();
    assertThat(c.matches("admin", "pa:ss")).isFalse();
    assertThat(c.matches("root", "pa:ss\u00e9")).isFalse();
    assertThat(c.toString()).doesNotContain("pa:ss");
    String latin1 = Base64.getEncoder().encodeToString(
        "u:\u00e9".getBytes(StandardCharsets.ISO_8859_1));
    assertThat(BasicAuth.parse("Basic " + latin1).orElseThrow().password()).isEqualTo("\u00e9");
    assertThat(BasicAuth.parse(null)).isEmpty();
    assertThat(BasicAuth.parse("Bearer abc")).isEmpty();
    assertThat(BasicAuth.parse("Basic !!!")).isEmpty();
    assertThat(BasicAuth.parse("Basic " + Base64.getEncoder().encodeToString(
        "nocolon".getBytes(StandardCharsets.UTF_8)))).isEmpty();
    assertThat(BasicAuth.passwordEquals(null, "x")).isFalse();
    assertThat(BasicAuth.CHALLENGE).isEqualTo("Basic realm=\"Icecast2 Server\"");
  }

  @Test
  void htmlPages() {
    assertThat(AdminHtml.success(AdminMessages.FALLBACK_CONFIGURED)).isEqualTo(
        "<html><head><title>Admin request successful</title></head><body>"
            + "<p>Fallback configured</p></body></html>");
    assertThat(AdminHtml.error(400, "a<b")).contains("400 - a&lt;b</b>");
    assertThat(AdminMessages.clientsMoved("/a", "/b")).isEqualTo("Clients moved from /a to /b");
  }
}
