package dev.floe.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.IcecastServer;
import dev.floe.proxy.it.support.RawListener;
import dev.floe.proxy.it.support.TestDirs;
import dev.floe.proxy.status.Escape;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Floe's admin renderers and parser against a real icecast2 2.4.4: the same state is set up on
 * icecast2 (two MP3 sources, two listeners with distinct User-Agents, a title), the equivalent
 * records are built from what the test knows of that state, and both answers are compared: the
 * DOM outline with volatile values masked, and the raw text with volatile element texts masked
 * (which also checks escaping, the declaration and line feeds). Error answers are compared by
 * status and body.
 *
 * <p>Tests that kill or move clients or sources use their own mounts and remove them again, so
 * the shared mounts stay as the stats tests expect them.
 */
class IcecastAdminParityTest {
  private static final Duration LIVE = Duration.ofSeconds(15);
  private static final String UA_A = "Agent-A/1.0";
  // ASCII: RawListener sends its head as ISO-8859-1, and icecast2 mangles non-UTF-8 agents.
  private static final String UA_B = "Agent-B <2.0> & \"co\"";
  private static final String TITLE = "Parity <Title> & more";

  private static final String DESCRIPTION = "Desc <one> \u00e9";
  /** icecast2 2.4.4 reads source header values as ISO-8859-1: ffmpeg's UTF-8 é becomes Ã©. */
  private static final String DESCRIPTION_AS_ICECAST_READS_IT = new String(
      DESCRIPTION.getBytes(java.nio.charset.StandardCharsets.UTF_8),
      java.nio.charset.StandardCharsets.ISO_8859_1);

  private static IcecastServer ice;
  private static final List<AutoCloseable> open = new ArrayList<>();
  private static String ffmpegUserAgent;

  @BeforeAll
  static void start() {
    ice = IcecastServer.start(TestDirs.create("admin-parity"));
    try (Wire.Capture capture = new Wire.Capture();
        FfmpegSource probe = one("http://127.0.0.1:" + capture.port() + "/one.mp3")) {
      for (String line : capture.take()) {
        if (line.toLowerCase().startsWith("user-agent:")) {
          ffmpegUserAgent = line.substring("user-agent:".length()).trim();
        }
      }
    }
    assertThat(ffmpegUserAgent).as("ffmpeg's source User-Agent").isNotBlank();
    open.add(one(ice.url("/one.mp3")));
    open.add(FfmpegSource.mp3(ice.url("/two.mp3")));
    ice.awaitMount("/one.mp3", LIVE);
    ice.awaitMount("/two.mp3", LIVE);
    ice.setMetadata("/one.mp3", TITLE);
    open.add(listener("/one.mp3", UA_A));
    awaitContains("/admin/listclients?mount=/one.mp3", "<Listeners>1</Listeners>");
    open.add(listener("/one.mp3", UA_B));
    awaitContains("/admin/listclients?mount=/one.mp3", "<Listeners>2</Listeners>");
    awaitContains("/admin/stats?mount=/one.mp3", "<title>Parity &lt;Title&gt; &amp; more</title>");
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    if (ice != null) {
      ice.close();
    }
  }

  private static FfmpegSource one(String url) {
    return FfmpegSource.builder(FfmpegSource.Format.MP3, url).iceName("Stream One")
        .iceGenre("Rock & Roll").iceDescription(DESCRIPTION).iceUrl("http://example.com/one")
        .icePublic(true).start();
  }

  private static RawListener listener(String mount, String userAgent) {
    return RawListener.builder(ice.port(), mount).header("User-Agent", userAgent).open();
  }

  // ---- the state as Floe would hold it -------------------------------------------------------

  private static AdminServer server(int listeners, int sources) {
    Map<String, String> g = new LinkedHashMap<>();
    for (String counter : List.of("client_connections", "clients", "connections",
        "file_connections", "listener_connections", "source_client_connections",
        "source_relay_connections", "source_total_connections", "stats", "stats_connections")) {
      g.put(counter, "0"); // volatile: masked in the comparison
    }
    g.put("listeners", Integer.toString(listeners));
    g.put("sources", Integer.toString(sources));
    return new AdminServer("floe@localhost", "127.0.0.1", "Floe interop test", "Icecast 2.4.4",
        Instant.EPOCH, g);
  }

  /** Per-source stats as icecast2 derives them from an ffmpeg source's headers. */
  private static Map<String, String> stats(String mount, String name, String description,
      String genre, String url, boolean pub) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("genre", genre == null ? "various" : genre);
    s.put("listenurl", ice.url(mount));
    s.put("max_listeners", "unlimited");
    s.put("public", pub ? "1" : "0");
    s.put("server_description", description == null ? "Unspecified description" : description);
    s.put("server_name", name == null ? "Unspecified name" : name);
    if (url != null) {
      s.put("server_url", url);
    }
    s.put("slow_listeners", "0");
    s.put("source_ip", "127.0.0.1");
    s.put("stream_start", "x");
    s.put("stream_start_iso8601", "x");
    s.put("total_bytes_read", "0");
    s.put("total_bytes_sent", "0");
    s.put("user_agent", ffmpegUserAgent);
    return s;
  }

  private static AdminMount mountOne() {
    return new AdminMount("/one.mp3", "audio/mpeg", 2, 2, 0, null, false, TITLE,
        stats("/one.mp3", "Stream One", DESCRIPTION_AS_ICECAST_READS_IT, "Rock & Roll",
            "http://example.com/one", true),
        List.of(new AdminListener(1, "127.0.0.1", UA_A, 0, null),
            new AdminListener(2, "127.0.0.1", UA_B, 0, null)));
  }

  private static AdminMount plain(String mount, int listeners, int peak,
      List<AdminListener> clients) {
    return new AdminMount(mount, "audio/mpeg", listeners, peak, 0, null, false, null,
        stats(mount, "Floe test stream", null, null, null, false), clients);
  }

  private static AdminMount mountTwo() {
    return plain("/two.mp3", 0, 0, List.of());
  }

  // ---- comparisons -----------------------------------------------------------------------------

  private static void assertSameXml(String icecast, String floe) {
    assertThat(XmlNormal.outline(floe)).isEqualTo(XmlNormal.outline(icecast));
    assertThat(XmlNormal.masked(floe)).isEqualTo(XmlNormal.masked(icecast));
  }

  private static String admin(String pathAndQuery) {
    return ice.admin(pathAndQuery);
  }

  private static void awaitContains(String pathAndQuery, String text) {
    await(pathAndQuery + " shows " + text).atMost(LIVE).pollInterval(Duration.ofMillis(100))
        .until(() -> admin(pathAndQuery).contains(text));
  }

  /** Floe's parse of a request, answered from a state-free model where icecast2's is fixed. */
  private static Wire.Response floe(String pathAndQuery, List<String> liveMounts) {
    int q = pathAndQuery.indexOf('?');
    AdminRequest.Result r = AdminRequest.parse(q < 0 ? pathAndQuery : pathAndQuery.substring(0, q),
        q < 0 ? null : pathAndQuery.substring(q + 1), liveMounts::contains);
    if (r instanceof AdminRequest.Rejected rej) {
      return new Wire.Response(rej.status(), List.of(), rej.body());
    }
    AdminCommand c = ((AdminRequest.Parsed) r).command();
    String body;
    if (c instanceof AdminCommand.UpdateMetadata) {
      body = AdminXml.response(AdminMessages.METADATA_UPDATED, true);
    } else if (c instanceof AdminCommand.MetadataNoSuchAction) {
      body = AdminXml.response(AdminMessages.NO_SUCH_ACTION, false);
    } else if (c instanceof AdminCommand.Fallbacks) {
      body = AdminHtml.success(AdminMessages.FALLBACK_CONFIGURED);
    } else {
      throw new AssertionError("not answered by the model: " + c);
    }
    return new Wire.Response(200, List.of(), body);
  }

  private static void assertSameAnswer(String pathAndQuery, List<String> liveMounts) {
    Wire.Response real = Wire.get(ice.port(), pathAndQuery, "admin", ice.adminPassword());
    Wire.Response ours = floe(pathAndQuery, liveMounts);
    assertThat(ours.status()).as(pathAndQuery).isEqualTo(real.status());
    assertThat(ours.body()).as(pathAndQuery).isEqualTo(real.body());
  }

  // ---- tests -----------------------------------------------------------------------------------

  @Test
  void statsMatchesIcecast() {
    awaitBaseline();
    String real = admin("/admin/stats");
    String ours = AdminXml.stats(server(2, 2), List.of(mountTwo(), mountOne()), null);
    assertSameXml(real, ours);
    assertThat(ours).contains("<server_description>Desc &lt;one&gt; &#xC3;&#xA9;</server_description>");

    String realOne = admin("/admin/stats?mount=/one.mp3");
    assertSameXml(realOne, AdminXml.stats(server(2, 2), List.of(mountOne(), mountTwo()),
        "/one.mp3"));
  }

  @Test
  void listMountsMatchesIcecast() {
    awaitBaseline();
    String real = admin("/admin/listmounts");
    assertSameXml(real, AdminXml.listMounts(List.of(mountOne(), mountTwo())));
    assertThat(real).contains("<Connected>").contains("<content-type>audio/mpeg</content-type>");
  }

  @Test
  void listClientsMatchesIcecast() {
    String real = admin("/admin/listclients?mount=/one.mp3");
    assertSameXml(real, AdminXml.listClients(mountOne()));
    assertSameXml(admin("/admin/listclients?mount=/two.mp3"), AdminXml.listClients(mountTwo()));
  }

  @Test
  void streamListMatchesIcecast() {
    awaitBaseline();
    Wire.Response real = Wire.get(ice.port(), "/admin/streamlist.txt", "relay",
        ice.sourcePassword());
    assertThat(real.status()).isEqualTo(200);
    assertThat(StreamList.render(List.of(mountTwo(), mountOne()))).isEqualTo(real.body())
        .isEqualTo("/one.mp3\r\n/two.mp3\r\n");
    assertThat(AdminRequest.parse("/admin/streamlist.txt", null, m -> false))
        .isEqualTo(new AdminRequest.Parsed(new AdminCommand.StreamList(),
            AdminRequest.Format.TEXT, null));
  }

  @Test
  void metadataAnswersAndCharsetsMatchIcecast() {
    try (FfmpegSource meta = FfmpegSource.mp3(ice.url("/meta.mp3"))) {
      ice.awaitMount("/meta.mp3", LIVE);
      List<String> live = List.of("/one.mp3", "/two.mp3", "/meta.mp3");
      // First (icecast2 keeps the artist of an artist+title update under later songs): the
      // title icecast2 ends up with equals the one Floe decodes, where both agree (an explicit
      // charset, or Latin-1 bytes); see AdminRequest for the UTF-8 default.
      for (String query : List.of("song=Caf%E9&charset=ISO-8859-1", "song=Caf%C3%A9&charset=UTF-8",
          "song=a+b%2Bc", "song=Caf%E9")) {
        String path = "/admin/metadata";
        String q = "mount=/meta.mp3&mode=updinfo&" + query;
        assertSameAnswer(path + "?" + q, live);
        AdminCommand.UpdateMetadata update = (AdminCommand.UpdateMetadata)
            ((AdminRequest.Parsed) AdminRequest.parse(path, q, live::contains)).command();
        String expected = "<title>" + xmlText(update.song()) + "</title>";
        awaitContains("/admin/stats?mount=/meta.mp3", expected);
      }
      assertSameAnswer("/admin/metadata?mount=/meta.mp3&mode=updinfo&song=Hello%20World", live);
      assertSameAnswer("/admin/metadata?mount=/meta.mp3&mode=updinfo&artist=A&title=T", live);
      assertSameAnswer("/admin/metadata?mount=/meta.mp3&mode=updinfo", live);
      assertSameAnswer("/admin/metadata?mount=/meta.mp3&mode=foo&song=x", live);
      assertSameAnswer("/admin/metadata?mount=/meta.mp3&mode=updinfo&song=x&mode=foo", live);
      assertSameAnswer("/admin/metadata?mount=/meta.mp3&song=x", live);
      assertSameAnswer("/admin/metadata?mode=updinfo&song=x", live);
      assertSameAnswer("/admin/metadata?mount=/nope.mp3&mode=updinfo&song=x", live);
      assertSameAnswer("/admin/nosuchcommand", live);
      assertSameAnswer("/admin/fallbacks?mount=/meta.mp3", live);
      assertSameAnswer("/admin/fallbacks?mount=/meta.mp3&fallback=/two.mp3", live);

    }
    awaitGone("/meta.mp3", LIVE);
  }

  @Test
  void killClientMatchesIcecast() {
    try (FfmpegSource src = FfmpegSource.mp3(ice.url("/kill.mp3"))) {
      ice.awaitMount("/kill.mp3", LIVE);
      try (RawListener victim = listener("/kill.mp3", "victim")) {
        awaitContains("/admin/listclients?mount=/kill.mp3", "<Listeners>1</Listeners>");
        Matcher m = Pattern.compile("<ID>(\\d+)</ID>")
            .matcher(admin("/admin/listclients?mount=/kill.mp3"));
        assertThat(m.find()).isTrue();
        long id = Long.parseLong(m.group(1));
        List<String> live = List.of("/one.mp3", "/two.mp3", "/kill.mp3");

        assertThat(admin("/admin/killclient?mount=/kill.mp3&id=999999"))
            .isEqualTo(AdminXml.response(AdminMessages.clientNotFound(killId(
                "mount=/kill.mp3&id=999999", live)), false));
        assertThat(admin("/admin/killclient?mount=/kill.mp3&id=abc"))
            .isEqualTo(AdminXml.response(AdminMessages.clientNotFound(killId(
                "mount=/kill.mp3&id=abc", live)), false));
        assertThat(admin("/admin/killclient?mount=/kill.mp3&id=" + id))
            .isEqualTo(AdminXml.response(AdminMessages.clientRemoved(killId(
                "mount=/kill.mp3&id=" + id, live)), true));
        await("victim dropped").atMost(LIVE).until(() -> !victim.connected());
        Wire.Response missing = Wire.get(ice.port(), "/admin/killclient?mount=/kill.mp3",
            "admin", ice.adminPassword());
        AdminRequest.Rejected rej = (AdminRequest.Rejected) AdminRequest.parse(
            "/admin/killclient", "mount=/kill.mp3", live::contains);
        assertThat(rej.status()).isEqualTo(missing.status());
        assertThat(rej.body()).isEqualTo(missing.body());
      }
    }
    awaitGone("/kill.mp3", LIVE);
  }

  private static long killId(String query, List<String> live) {
    return ((AdminCommand.KillClient) ((AdminRequest.Parsed) AdminRequest.parse(
        "/admin/killclient", query, live::contains)).command()).id();
  }

  @Test
  void killSourceMatchesIcecast() {
    try (FfmpegSource src = FfmpegSource.mp3(ice.url("/ks.mp3"))) {
      ice.awaitMount("/ks.mp3", LIVE);
      List<String> live = List.of("/one.mp3", "/two.mp3", "/ks.mp3");
      Wire.Response noMount = Wire.get(ice.port(), "/admin/killsource", "admin",
          ice.adminPassword());
      AdminRequest.Rejected rej = (AdminRequest.Rejected) AdminRequest.parse("/admin/killsource",
          null, live::contains);
      assertThat(rej.body()).isEqualTo(noMount.body());
      assertThat(AdminRequest.parse("/admin/killsource", "mount=/ks.mp3", live::contains))
          .isEqualTo(new AdminRequest.Parsed(new AdminCommand.KillSource("/ks.mp3"),
              AdminRequest.Format.XML, null));
      assertThat(admin("/admin/killsource?mount=/ks.mp3"))
          .isEqualTo(AdminXml.response(AdminMessages.SOURCE_REMOVED, true));
      awaitGone("/ks.mp3", LIVE);
    }
  }

  @Test
  void moveClientsMatchesIcecast() {
    try (FfmpegSource a = FfmpegSource.mp3(ice.url("/move-a.mp3"));
        FfmpegSource b = FfmpegSource.mp3(ice.url("/move-b.mp3"))) {
      ice.awaitMount("/move-a.mp3", LIVE);
      ice.awaitMount("/move-b.mp3", LIVE);
      try (RawListener mover = listener("/move-a.mp3", "mover")) {
        awaitContains("/admin/listclients?mount=/move-a.mp3", "<Listeners>1</Listeners>");
        List<String> live = List.of("/one.mp3", "/two.mp3", "/move-a.mp3", "/move-b.mp3");

        AdminRequest.Parsed list = (AdminRequest.Parsed) AdminRequest.parse("/admin/moveclients",
            "mount=/move-a.mp3", live::contains);
        assertThat(list.command()).isEqualTo(new AdminCommand.MoveClients("/move-a.mp3", null));
        assertSameXml(admin("/admin/moveclients?mount=/move-a.mp3"),
            AdminXml.moveClientsChoices("/move-a.mp3", List.of(mountOne(), mountTwo(),
                plain("/move-a.mp3", 1, 1, List.of()), plain("/move-b.mp3", 0, 0, List.of()))));

        for (String q : List.of("mount=/move-a.mp3&destination=/move-a.mp3",
            "mount=/move-a.mp3&destination=/nope.mp3")) {
          Wire.Response real = Wire.get(ice.port(), "/admin/moveclients?" + q, "admin",
              ice.adminPassword());
          AdminRequest.Rejected rej = (AdminRequest.Rejected) AdminRequest.parse(
              "/admin/moveclients", q, live::contains);
          assertThat(rej.status()).as(q).isEqualTo(real.status());
          assertThat(rej.body()).as(q).isEqualTo(real.body());
        }

        String q = "mount=/move-a.mp3&destination=/move-b.mp3";
        AdminCommand.MoveClients move = (AdminCommand.MoveClients) ((AdminRequest.Parsed)
            AdminRequest.parse("/admin/moveclients", q, live::contains)).command();
        assertThat(admin("/admin/moveclients?" + q)).isEqualTo(AdminXml.response(
            AdminMessages.clientsMoved(move.mount(), move.destination()), true));
        awaitContains("/admin/listclients?mount=/move-b.mp3", "<Listeners>1</Listeners>");
      }
    }
    awaitGone("/move-a.mp3", LIVE);
    awaitGone("/move-b.mp3", LIVE);
  }

  /** Until icecast2's source tree and stats both have forgotten {@code mount}. */
  private static void awaitGone(String mount, Duration timeout) {
    String attr = "mount=\"" + mount + "\"";
    await(mount + " gone from listmounts and stats").atMost(timeout)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> !admin("/admin/listmounts").contains(attr)
            && !admin("/admin/stats").contains(attr));
  }

  /**
   * Until only the shared mounts are left: the mutating tests' mounts are gone from the source
   * tree and icecast2's global {@code sources} counter (which lags) is back to 2.
   */
  private static void awaitBaseline() {
    await("only /one.mp3 and /two.mp3 left").atMost(LIVE).pollInterval(Duration.ofMillis(100))
        .until(() -> admin("/admin/listmounts").split("<source ", -1).length == 3
            && admin("/admin/stats").contains("<sources>2</sources>"));
  }

  private static String xmlText(String s) {
    StringBuilder sb = new StringBuilder();
    Escape.icecastXmlText(sb, s);
    return sb.toString();
  }
}
