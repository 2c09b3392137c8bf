package dev.floe.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeServer;
import dev.floe.proxy.it.support.IcecastServer;
import dev.floe.proxy.it.support.RawListener;
import dev.floe.proxy.it.support.TestDirs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Floe's live admin answers against a real icecast2 2.4.4 holding the same state.
 *
 * <p>The reference icecast2 gets ffmpeg sources on {@code /one.mp3} (with stream name, genre,
 * description, URL, public), {@code /two.mp3}, {@code /hid.mp3} (hidden) and {@code /lim.mp3}
 * ({@code <max-listeners>1}); {@code /one.mp3} also has {@code <max-listeners>5}. Floe relays the
 * same ffmpeg content from a second icecast2 at the same paths, with the same hidden and
 * max-listeners properties. Both get two listeners on {@code /one.mp3} with distinct
 * User-Agents and the same title. Every endpoint is then asked of both, with the admin (or relay)
 * credentials, and the answers compared: status, and for XML the DOM outline and raw text with
 * volatile values (times, ids, byte and connection counters) masked and listen URL ports
 * normalised. One difference is removed before comparing: icecast2 shows the source client's
 * {@code user_agent}; a relayed mount has no source client (an icecast2 relay shows none either).
 */
class AdminWireParityTest {
  private static final Duration LIVE = Duration.ofSeconds(20);
  private static final String UA_A = "Agent-A/1.0";
  private static final String UA_B = "Agent-B <2.0> & \"co\"";
  private static final String TITLE = "Parity <Title> & more";
  private static final List<String> MOUNTS = List.of("/one.mp3", "/two.mp3", "/hid.mp3",
      "/lim.mp3");

  private static IcecastServer ref;
  private static IcecastServer upstream;
  private static FloeServer floe;
  private static final List<AutoCloseable> open = new ArrayList<>();
  private static final List<RawListener> floeListeners = new ArrayList<>();

  @BeforeAll
  static void start() {
    String mountsXml = "  <mount type=\"normal\"><mount-name>/one.mp3</mount-name>"
        + "<max-listeners>5</max-listeners></mount>\n"
        + "  <mount type=\"normal\"><mount-name>/hid.mp3</mount-name><hidden>1</hidden></mount>\n"
        + "  <mount type=\"normal\"><mount-name>/lim.mp3</mount-name>"
        + "<max-listeners>1</max-listeners></mount>";
    ref = IcecastServer.builder().extraXml(mountsXml).start(TestDirs.create("wire-ref"));
    upstream = IcecastServer.start(TestDirs.create("wire-up"));
    for (IcecastServer ice : List.of(ref, upstream)) {
      open.add(one(ice.url("/one.mp3")));
      open.add(FfmpegSource.mp3(ice.url("/two.mp3")));
      open.add(FfmpegSource.mp3(ice.url("/hid.mp3")));
    }
    open.add(FfmpegSource.mp3(ref.url("/lim.mp3")));
    for (String m : List.of("/one.mp3", "/two.mp3", "/hid.mp3")) {
      upstream.awaitMount(m, LIVE);
    }
    // A hidden mount is not in /status-json.xsl, so ask the admin list.
    await("the reference's mounts live").atMost(LIVE).pollInterval(Duration.ofMillis(100))
        .until(() -> MOUNTS.stream().allMatch(
            m -> ref.admin("/admin/listmounts").contains("mount=\"" + m + "\"")));
    StringBuilder mounts = new StringBuilder("mounts = [");
    for (String m : MOUNTS) {
      String from = m.equals("/lim.mp3") ? "/two.mp3" : m;
      mounts.append("{ path = \"").append(m).append("\", upstream = \"")
          .append(upstream.url(from)).append("\" }\n");
    }
    floe = FloeServer.start("server { hostname = \"127.0.0.1\", admin = \"floe@localhost\","
        + " location = \"Floe interop test\", server-id = \"Icecast 2.4.4\","
        + " relay-password = \"hackme\"\n"
        // Many admin requests, wrong passwords among them, from one address: the admin rate
        // and the password backoff have their own test (it.limits.LimitsTest).
        + " limits.exempt = [\"127.0.0.1\"] }\n" + mounts + "]");
    floe.mount("/one.mp3").properties().maxListeners(5);
    floe.mount("/hid.mp3").properties().hidden(true);
    floe.mount("/lim.mp3").properties().maxListeners(1);
    await("Floe's mounts live").atMost(LIVE).until(() -> MOUNTS.stream()
        .allMatch(m -> floe.mount(m).info() != null && floe.mount(m).live()));

    // The upstream's first block (after its first 16000 bytes) would replace an earlier title.
    await("Floe got /one.mp3's first metadata block").atMost(LIVE)
        .until(() -> floe.mount("/one.mp3").counters().bytesIn() > 16000);
    ref.setMetadata("/one.mp3", TITLE);
    Wire.Response set = floeAdmin("/admin/metadata?mount=/one.mp3&mode=updinfo&song="
        + "Parity+%3CTitle%3E+%26+more");
    assertThat(set.body()).isEqualTo(AdminXml.response(AdminMessages.METADATA_UPDATED, true));
    for (int port : List.of(ref.port(), floe.port())) {
      RawListener a = RawListener.builder(port, "/one.mp3").header("User-Agent", UA_A).open();
      open.add(a);
      awaitListeners(port, "/one.mp3", 1);
      RawListener b = RawListener.builder(port, "/one.mp3").header("User-Agent", UA_B).open();
      open.add(b);
      if (port == floe.port()) {
        floeListeners.addAll(List.of(a, b));
      }
      awaitListeners(port, "/one.mp3", 2);
    }
    await("icecast2's sources counter").atMost(LIVE)
        .until(() -> ref.admin("/admin/stats").contains("<sources>4</sources>"));
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    if (floe != null) {
      floe.close();
    }
    for (IcecastServer ice : new IcecastServer[] {ref, upstream}) {
      if (ice != null) {
        ice.close();
      }
    }
  }

  private static FfmpegSource one(String url) {
    return FfmpegSource.builder(FfmpegSource.Format.MP3, url).iceName("Stream One")
        .iceGenre("Rock & Roll").iceDescription("Desc <one> & more")
        .iceUrl("http://example.com/one").icePublic(true).start();
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static Wire.Response floeAdmin(String pathAndQuery) {
    return Wire.get(floe.port(), pathAndQuery, "admin", "hackme");
  }

  private static Wire.Response refAdmin(String pathAndQuery) {
    return Wire.get(ref.port(), pathAndQuery, "admin", ref.adminPassword());
  }

  private static void awaitListeners(int port, String mount, int n) {
    await(mount + " has " + n + " listener(s) on :" + port).atMost(LIVE)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> Wire.get(port, "/admin/listclients?mount=" + mount, "admin", "hackme").body()
            .contains("<Listeners>" + n + "</Listeners>"));
  }

  /** Listen URL ports made equal, the source client's user_agent removed. */
  private static String normal(String xml) {
    return xml.replace(":" + ref.port() + "/", ":PORT/").replace(":" + floe.port() + "/", ":PORT/")
        .replaceAll("<user_agent>[^<]*</user_agent>", "");
  }

  private static void assertSameXml(String path) {
    Wire.Response real = refAdmin(path);
    Wire.Response ours = floeAdmin(path);
    assertThat(ours.status()).as(path).isEqualTo(real.status()).isEqualTo(200);
    assertThat(XmlNormal.outline(normal(ours.body()))).as(path)
        .isEqualTo(XmlNormal.outline(normal(real.body())));
    assertThat(XmlNormal.masked(normal(ours.body()))).as(path)
        .isEqualTo(XmlNormal.masked(normal(real.body())));
  }

  private static void assertSameError(String path, String user, String password) {
    Wire.Response real = Wire.get(ref.port(), path, user, password);
    Wire.Response ours = Wire.get(floe.port(), path, user, password);
    assertThat(ours.status()).as(path).isEqualTo(real.status());
    assertThat(ours.body()).as(path).isEqualTo(real.body());
  }

  /** Floe's two listeners on {@code /one.mp3} are still connected and still receiving audio. */
  private static void assertFloeListenersUnharmed() {
    for (RawListener l : floeListeners) {
      long before = l.audioBytes();
      await("a listener on Floe keeps receiving").atMost(LIVE)
          .until(() -> l.audioBytes() > before + 16_000);
      assertThat(l.connected()).isTrue();
      assertThat(l.readError()).isNull();
    }
  }

  private static String header(Wire.Response r, String name) {
    for (String l : r.headerLines()) {
      if (l.toLowerCase().startsWith(name.toLowerCase() + ":")) {
        return l.substring(name.length() + 1).trim();
      }
    }
    return null;
  }

  // ---- tests ---------------------------------------------------------------------------------

  @Test
  void statsMatchIcecast() {
    assertSameXml("/admin/stats");
    assertSameXml("/admin/stats?mount=/one.mp3");
    assertThat(floeAdmin("/admin/stats?mount=/one.mp3").body())
        .contains("<max_listeners>5</max_listeners>")
        .contains("<title>Parity &lt;Title&gt; &amp; more</title>")
        .contains("<server_name>Stream One</server_name>");
  }

  @Test
  void listMountsShowsHiddenMountsAsIcecastDoes() {
    assertSameXml("/admin/listmounts");
    assertThat(floeAdmin("/admin/listmounts").body()).contains("mount=\"/hid.mp3\"");
  }

  @Test
  void listClientsMatchIcecast() {
    assertSameXml("/admin/listclients?mount=/one.mp3");
    assertSameXml("/admin/listclients?mount=/two.mp3");
    assertThat(floeAdmin("/admin/listclients?mount=/one.mp3").body())
        .contains("<UserAgent>Agent-A/1.0</UserAgent>")
        .contains("<UserAgent>Agent-B &lt;2.0&gt; &amp; \"co\"</UserAgent>");
  }

  @Test
  void streamListLeavesHiddenOutAndTakesTheRelayUser() {
    Wire.Response real = Wire.get(ref.port(), "/admin/streamlist.txt", "relay", "hackme");
    Wire.Response ours = Wire.get(floe.port(), "/admin/streamlist.txt", "relay", "hackme");
    assertThat(ours.status()).isEqualTo(real.status()).isEqualTo(200);
    assertThat(ours.body()).isEqualTo(real.body()).isEqualTo("/lim.mp3\r\n/one.mp3\r\n/two.mp3\r\n");
    assertThat(header(ours, "Content-Type")).isEqualTo(header(real, "Content-Type"));
    assertSameError("/admin/streamlist.txt", "relay", "wrong");
  }

  @Test
  void statusJsonLeavesHiddenMountsOut() {
    String ours = floe.get("/status-json.xsl").body();
    String real = ref.statusJson();
    for (String m : MOUNTS) {
      boolean shown = !m.equals("/hid.mp3");
      assertThat(real.contains(ref.url(m) + "\"")).as("icecast2 lists " + m).isEqualTo(shown);
      assertThat(ours.contains(floe.url(m) + "\"")).as("Floe lists " + m).isEqualTo(shown);
    }
    assertThat(floe.get("/").body()).doesNotContain("/hid.mp3").contains("/two.mp3");
  }

  @Test
  void wrongAndMissingCredentialsGetIcecasts401() {
    for (String[] creds : new String[][] {{null, null}, {"admin", "wrong"}, {"source", "hackme"},
        {"relay", "hackme"}}) {
      String path = "/admin/listmounts";
      Wire.Response real = Wire.get(ref.port(), path, creds[0], creds[1]);
      Wire.Response ours = Wire.get(floe.port(), path, creds[0], creds[1]);
      assertThat(ours.status()).isEqualTo(real.status()).isEqualTo(401);
      assertThat(ours.body()).isEqualTo(real.body());
      assertThat(header(ours, "WWW-Authenticate")).isEqualTo(header(real, "WWW-Authenticate"))
          .isEqualTo("Basic realm=\"Icecast2 Server\"");
    }
    // An unknown command is refused before credentials are looked at, on both.
    assertSameError("/admin/nosuch", null, null);
    assertFloeListenersUnharmed();
  }

  @Test
  void badRequestsGetIcecastsStatusAndMessage() {
    for (String path : List.of("/admin/metadata?mount=/one.mp3&song=x",
        "/admin/metadata?mode=updinfo&song=x", "/admin/metadata?mount=/nope.mp3&mode=updinfo",
        "/admin/listclients", "/admin/killclient?mount=/one.mp3",
        "/admin/fallbacks?mount=/two.mp3", "/admin/moveclients?mount=/two.mp3&destination=/x",
        "/admin/moveclients?mount=/two.mp3&destination=/two.mp3", "/admin/nosuchcommand")) {
      assertSameError(path, "admin", "hackme");
    }
    for (String path : List.of("/admin/metadata?mount=/two.mp3&mode=foo",
        "/admin/killclient?mount=/two.mp3&id=999999", "/admin/moveclients?mount=/two.mp3")) {
      assertSameXml(path);
    }
    assertFloeListenersUnharmed();
  }

  /**
   * A title over the ICY limit (4080 bytes) cannot reach icecast2 2.4.4 at all: the request head
   * is longer than its 4096-byte head buffer, and it closes the connection without an answer.
   * Floe (whose head limit is 8 KiB, {@code max-line-bytes}) takes it, answers success, cuts the
   * block to the limit for players (AdminMetadataPlayerTest) and keeps the whole title in the
   * stats. Either way no listener is harmed. The Floe title is then set back, for the other tests.
   */
  @Test
  void anOverlongTitleReachesNoIcecastAndHarmsNoListener() {
    String path = "/admin/metadata?mount=/one.mp3&mode=updinfo&song=L" + "x".repeat(4100);
    assertThat(Wire.raw(ref.port(), path, "admin", ref.adminPassword())).isEmpty();
    Wire.Response ours = floeAdmin(path);
    assertThat(ours.status()).isEqualTo(200);
    assertThat(ours.body()).isEqualTo(AdminXml.response(AdminMessages.METADATA_UPDATED, true));
    assertThat(floeAdmin("/admin/stats?mount=/one.mp3").body()).contains("x".repeat(4100));
    assertFloeListenersUnharmed();
    assertThat(floeAdmin("/admin/metadata?mount=/one.mp3&mode=updinfo&song="
        + "Parity+%3CTitle%3E+%26+more").status()).isEqualTo(200);
  }

  @Test
  void maxListenersGetsIcecasts403() {
    try (RawListener first = RawListener.builder(ref.port(), "/lim.mp3").open();
        RawListener mine = RawListener.builder(floe.port(), "/lim.mp3").open()) {
      assertThat(first.status()).isEqualTo(200);
      assertThat(mine.status()).isEqualTo(200);
      Wire.Response real = Wire.get(ref.port(), "/lim.mp3", null, null);
      Wire.Response ours = Wire.get(floe.port(), "/lim.mp3", null, null);
      assertThat(ours.status()).isEqualTo(real.status()).isEqualTo(403);
      assertThat(ours.body()).isEqualTo(real.body()).isEqualTo("max listeners reached");
      assertThat(header(ours, "Content-Type")).isEqualTo(header(real, "Content-Type"));
      assertThat(mine.connected()).as("the listener already in stays").isTrue();
    }
    awaitListeners(floe.port(), "/lim.mp3", 0);
    awaitListeners(ref.port(), "/lim.mp3", 0);
  }

  @Test
  void killClientMoveClientsAndFallbacksActAsOnIcecast() {
    List<RawListener> movers = new ArrayList<>();
    try {
      for (int port : List.of(ref.port(), floe.port())) {
        movers.add(RawListener.builder(port, "/two.mp3").header("User-Agent", "mover").open());
        awaitListeners(port, "/two.mp3", 1);
      }
      String move = "/admin/moveclients?mount=/two.mp3&destination=/hid.mp3";
      assertSameXml(move);
      for (int port : List.of(ref.port(), floe.port())) {
        awaitListeners(port, "/hid.mp3", 1);
        awaitListeners(port, "/two.mp3", 0);
      }
      assertThat(movers).allSatisfy(l -> assertThat(l.connected()).isTrue());
      assertSameXml("/admin/listclients?mount=/hid.mp3");

      for (IcecastServer side : new IcecastServer[] {ref, null}) {
        int port = side == null ? floe.port() : ref.port();
        String list = Wire.get(port, "/admin/listclients?mount=/hid.mp3", "admin", "hackme")
            .body();
        Matcher id = Pattern.compile("<ID>(\\d+)</ID>").matcher(list);
        assertThat(id.find()).isTrue();
        String kill = "/admin/killclient?mount=/hid.mp3&id=" + id.group(1);
        assertThat(Wire.get(port, kill, "admin", "hackme").body()).isEqualTo(
            AdminXml.response(AdminMessages.clientRemoved(Long.parseLong(id.group(1))), true));
        awaitListeners(port, "/hid.mp3", 0);
      }
      await("movers dropped").atMost(LIVE)
          .until(() -> movers.stream().noneMatch(RawListener::connected));

      Wire.Response real = refAdmin("/admin/fallbacks?mount=/two.mp3&fallback=/one.mp3");
      Wire.Response ours = floeAdmin("/admin/fallbacks?mount=/two.mp3&fallback=/one.mp3");
      assertThat(ours.status()).isEqualTo(real.status()).isEqualTo(200);
      assertThat(ours.body()).isEqualTo(real.body());
      assertThat(floe.mount("/two.mp3").properties().fallback()).isEqualTo("/one.mp3");
      assertSameXml("/admin/listmounts");
      assertThat(floeAdmin("/admin/listmounts").body())
          .contains("<fallback>/one.mp3</fallback>");
    } finally {
      movers.forEach(RawListener::close);
    }
  }
}
