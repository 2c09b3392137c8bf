package dev.floe.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.proxy.config.AdminAuth;
import dev.floe.proxy.mount.MountRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** {@link AdminService}'s checks that need no live mount, and {@link UrlListenerAuth}'s rules. */
class AdminServiceTest {
  private final AdminService service = new AdminService(
      new AdminAuth("boss", "pw", "slave", null), MountRegistry.fixed(),
      new AdminService.Identity("a@b", "host", "here", "Icecast 2.4.4", Instant.EPOCH),
      () -> 8000, mount -> mount.equals("/stream")
          ? new BasicAuth.Credentials("source", "srcpw") : null, "/stream");

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void unknownCommandsAre400BeforeCredentials() {
    AdminResponse r = service.handle("/admin/nosuch", null, null, "t");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.text()).isEqualTo(AdminHtml.error(400, AdminMessages.UNRECOGNISED_COMMAND));
  }

  @Test
  void configuredAdminCredentialsAreRequired() {
    for (String authz : new String[] {null, basic("admin", "hackme"), basic("boss", "wrong"),
        basic("source", "srcpw"), "Bearer x"}) {
      AdminResponse r = service.handle("/admin/listmounts", null, authz, "t");
      assertThat(r.status()).as(String.valueOf(authz)).isEqualTo(401);
      assertThat(r.text()).isEqualTo("You need to authenticate\r\n");
      assertThat(r.headers()).anySatisfy(h -> assertThat(h)
          .containsExactly("WWW-Authenticate", "Basic realm=\"Icecast2 Server\""));
    }
    AdminResponse ok = service.handle("/admin/listmounts", null, basic("boss", "pw"), "t");
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.text()).isEqualTo(AdminXml.listMounts(java.util.List.of()));
  }

  @Test
  void streamListTakesTheAdminAndADisabledRelayUserNothing() {
    assertThat(service.handle("/admin/streamlist.txt", null, basic("slave", ""), "t").status())
        .isEqualTo(401);
    assertThat(service.handle("/admin/streamlist.txt", null, basic("boss", "pw"), "t").status())
        .isEqualTo(200);
  }

  @Test
  void sourceCredentialsOnlyReachTheMetadataCommand() {
    // Past the credentials, the mount is unknown: 400 proves the source password was accepted.
    AdminResponse meta = service.handle("/admin/metadata", "mount=/stream&mode=updinfo&song=x",
        basic("source", "srcpw"), "t");
    assertThat(meta.status()).isEqualTo(400);
    assertThat(meta.text()).contains(AdminMessages.SOURCE_DOES_NOT_EXIST);
    assertThat(service.handle("/admin/listclients", "mount=/stream", basic("source", "srcpw"),
        "t").status()).isEqualTo(401);
    assertThat(service.handle("/admin/metadata", "mount=/other&mode=updinfo&song=x",
        basic("source", "srcpw"), "t").status()).isEqualTo(401);
    assertThat(service.handle("/admin.cgi", "pass=srcpw&mode=updinfo&song=x", null, "t").text())
        .contains(AdminMessages.SOURCE_DOES_NOT_EXIST);
    assertThat(service.handle("/admin.cgi", "pass=pw&mode=updinfo&song=x", null, "t").status())
        .isEqualTo(400);
    assertThat(service.handle("/admin.cgi", "pass=nope&mode=updinfo&song=x", null, "t").status())
        .isEqualTo(401);
  }

  @Test
  void titlesComeFromSongOrArtistAndTitle() {
    assertThat(AdminService.title(new AdminCommand.UpdateMetadata("/m", "S", "A", "T", null,
        false))).isEqualTo("S");
    assertThat(AdminService.title(new AdminCommand.UpdateMetadata("/m", null, "A", "T", null,
        false))).isEqualTo("A - T");
    assertThat(AdminService.title(new AdminCommand.UpdateMetadata("/m", null, "A", null, null,
        false))).isNull();
    assertThat(AdminService.title(new AdminCommand.UpdateMetadata("/m", null, null, null, null,
        false))).isNull();
  }

  @Test
  void sourceIpIsTheUpstreamHostOrTheSourceAddress() {
    assertThat(AdminService.sourceIp("http://10.0.0.1:8000/live")).isEqualTo("10.0.0.1");
    assertThat(AdminService.sourceIp("192.168.1.2")).isEqualTo("192.168.1.2");
    assertThat(AdminService.sourceIp(null)).isNull();
  }

  @Test
  void adminPathsAreRecognised() {
    assertThat(AdminService.isAdminPath("/admin/stats")).isTrue();
    assertThat(AdminService.isAdminPath("/admin.cgi")).isTrue();
    assertThat(AdminService.isAdminPath("/admin")).isFalse();
    assertThat(AdminService.isAdminPath("/administrator.mp3")).isFalse();
  }

  @Test
  void listenerAuthAcceptsOnlyIcecastAuthUserOne() {
    assertThat(UrlListenerAuth.decide("1", null).accepted()).isTrue();
    assertThat(UrlListenerAuth.decide(" 1 ", "ignored").accepted()).isTrue();
    UrlListenerAuth.Decision plain = UrlListenerAuth.decide("0", null);
    assertThat(plain.accepted()).isFalse();
    assertThat(plain.response().status()).isEqualTo(401);
    assertThat(UrlListenerAuth.decide(null, "  ").response().status()).isEqualTo(401);
    UrlListenerAuth.Decision banned = UrlListenerAuth.decide(null, "403 Go away");
    assertThat(banned.response().status()).isEqualTo(403);
    assertThat(banned.response().text()).isEqualTo("Go away");
    assertThat(UrlListenerAuth.decide(null, "Full").response().text()).isEqualTo("Full");
  }

  @Test
  void listenerAuthFormIsUrlEncoded() {
    java.util.Map<String, String> f = new java.util.LinkedHashMap<>();
    f.put("action", "listener_add");
    f.put("mount", "/a b?x=1&y");
    f.put("agent", "Café");
    assertThat(UrlListenerAuth.encode(f))
        .isEqualTo("action=listener_add&mount=%2Fa+b%3Fx%3D1%26y&agent=Caf%C3%A9");
  }
}
