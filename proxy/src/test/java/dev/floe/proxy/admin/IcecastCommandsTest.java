package dev.floe.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.floe.proxy.config.AdminAuth;
import dev.floe.proxy.config.ConfigLoader;
import dev.floe.proxy.config.FloeConfig;
import dev.floe.proxy.config.MountSettings;
import dev.floe.proxy.mount.Mount;
import dev.floe.proxy.mount.MountRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands of issue 15 on configured mounts: manageauth (by mount and by Icecast 2.5's id),
 * buildm3u, credentials before parameters, per-mount source users.
 */
class IcecastCommandsTest {
  private static final String ADMIN = basic("admin", "hackme");
  @TempDir Path dir;
  private AdminService service;
  private Path users;

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @BeforeEach
  void setUp() throws Exception {
    users = dir.resolve("myauth");
    FloeConfig config = ConfigLoader.fromConfig(ConfigFactory.parseString("""
        floe.mounts = [
          { path = "/test.ogg", password = "hackmemore", source-user = "foobar" }
          { path = "/on-connect.ogg" }
          { path = "/foo.ogg", listener-auth { htpasswd = "%s" } }
        ]
        """.formatted(users)));
    MountRegistry registry = MountRegistry.fixed();
    for (MountSettings m : config.mounts()) {
      registry.add(new Mount(m, registry));
    }
    service = new AdminService(AdminAuth.defaults(), registry, new AdminService.Identity(
        "a@b", "radio.example.org", "here", "Icecast 2.4.4", Instant.EPOCH), () -> 8000,
        path -> {
          Mount m = registry.get(path);
          String own = m == null ? null : m.settings().password();
          return new BasicAuth.Credentials(m == null ? "source" : m.settings().extras()
              .sourceUser(), own != null ? own : "hackme");
        }, "/stream");
  }

  private AdminResponse get(String path, String query, String authorization) {
    return service.handle(path, query, authorization, "test");
  }

  @Test
  void manageauthChecksCredentialsFirstThenFindsTheAuthenticationById() throws Exception {
    assertThat(get("/admin/manageauth", "id=4&username=foo&password=bar&action=add", null)
        .status()).isEqualTo(401);
    assertThat(get("/admin/manageauth", "id=99&username=foo&password=bar&action=add",
        basic("source", "hackme")).status()).isEqualTo(401);
    assertThat(get("/admin/manageauth", "id=99&username=foo&password=bar&action=add", ADMIN)
        .status()).isEqualTo(404);
    assertThat(Files.exists(users)).isFalse();

    // ids as Icecast 2.5 numbers them: admin 0, source 1, relay 2, /test.ogg's source 3,
    // /foo.ogg's listeners 4
    AdminResponse added = get("/admin/manageauth", "id=4&username=foo&password=bar&action=add",
        ADMIN);
    assertThat(added.status()).isEqualTo(200);
    assertThat(added.text()).contains("<message>User added</message><return>1</return>")
        .contains("<source mount=\"/foo.ogg\"><User><username>foo</username></User></source>");
    assertThat(Files.readString(users)).isEqualTo("foo:37b51d194a7513e45b56f6524f2d51f2\n");
    assertThat(Htpasswd.of(users).check("foo", "bar")).isTrue();

    assertThat(get("/admin/manageauth", "mount=/foo.ogg&username=foo&password=x&action=add",
        ADMIN).text()).contains("<message>User already exists</message><return>0</return>");
    assertThat(get("/admin/manageauth", "mount=/foo.ogg", ADMIN).text())
        .doesNotContain("iceresponse").contains("<username>foo</username>");
    assertThat(get("/admin/manageauth", "mount=/foo.ogg&username=foo&action=delete", ADMIN)
        .text()).contains("<message>User deleted</message>");
    assertThat(Htpasswd.of(users).check("foo", "bar")).isFalse();
  }

  @Test
  void manageauthExplainsWhatItCannotDo() {
    assertThat(get("/admin/manageauth", "mount=/test.ogg", ADMIN).text())
        .contains("has no htpasswd listener authentication");
    assertThat(get("/admin/manageauth", "mount=/nope", ADMIN).status()).isEqualTo(400);
    assertThat(get("/admin/manageauth", "", ADMIN).text()).contains("Unknown admin request");
    assertThat(get("/admin/manageauth", "mount=/foo.ogg&action=add&username=a", ADMIN).text())
        .contains("Missing parameter");
    assertThat(get("/admin/manageauth", "mount=/foo.ogg&action=drop&username=a", ADMIN).text())
        .contains("No such action");
    assertThat(get("/admin/manageauth", "mount=/foo.ogg&action=add&username=a:b&password=c",
        ADMIN).text()).contains("Invalid user name or password");
  }

  @Test
  void buildm3uNeedsNoCredentials() {
    AdminResponse r = get("/admin/buildm3u", "username=foo&password=b%20r&mount=%2Ffoo.ogg",
        null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).isEqualTo("audio/x-mpegurl");
    assertThat(r.text()).isEqualTo("http://foo:b%20r@radio.example.org:8000/foo.ogg\n");
    assertThat(get("/admin/buildm3u", "username=foo&mount=%2Ffoo.ogg", null).status())
        .isEqualTo(400);
  }

  @Test
  void aMountsOwnSourceUserMaySetItsTitleAndTheGlobalOneMayNot() {
    // past the credentials, the parameters are checked: this mount has no source yet
    assertThat(get("/admin/metadata", "mount=/test.ogg&mode=updinfo&song=x",
        basic("foobar", "hackmemore")).text()).contains("Source does not exist");
    assertThat(get("/admin/metadata", "mount=/test.ogg&mode=updinfo&song=x",
        basic("source", "hackmemore")).status()).isEqualTo(401);
    assertThat(get("/admin/metadata", "mount=/test.ogg&mode=updinfo&song=x",
        basic("source", "hackme")).status()).isEqualTo(401);
    assertThat(get("/admin/metadata", "mount=/on-connect.ogg&mode=updinfo&song=x",
        basic("source", "hackme")).status()).isEqualTo(400);
    assertThat(get("/admin/updatemetadata", "", basic("foobar", "hackmemore")).status())
        .isEqualTo(401);
    assertThat(get("/admin/updatemetadata", "", ADMIN).text())
        .contains("Unknown admin request");
  }

  @Test
  void aTitleWithoutCharsetIsReadInTheMountsCharset() {
    java.nio.charset.Charset cp1251 = java.nio.charset.Charset.forName("windows-1251");
    AdminRequest.Result r = AdminRequest.parse("/admin/metadata",
        "mount=/a&mode=updinfo&song=%CF%F0%E8", m -> true, "/stream", m -> cp1251);
    assertThat(((AdminRequest.Parsed) r).command()).isEqualTo(new AdminCommand.UpdateMetadata(
        "/a", "\u041f\u0440\u0438", null, null, cp1251, false));
    r = AdminRequest.parse("/admin/metadata", "mount=/a&mode=updinfo&song=%C3%A9&charset=UTF-8",
        m -> true, "/stream", m -> cp1251);
    assertThat(((AdminCommand.UpdateMetadata) ((AdminRequest.Parsed) r).command()).song())
        .isEqualTo("\u00e9"); // the request's own charset wins
  }

  @Test
  void theAdminPageNeedsTheAdmin() {
    assertThat(get("/admin/", "", null).status()).isEqualTo(401);
    AdminResponse page = get("/admin/", "", ADMIN);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.contentType()).isEqualTo(AdminHtml.CONTENT_TYPE);
    assertThat(page.text()).contains("<meta name=\"viewport\"").contains("No mount is live.");
    // Icecast's admin HTML views lead there too, after the credentials (icecast2: 401 first)
    assertThat(get("/admin/stats.xsl", "", null).status()).isEqualTo(401);
    assertThat(get("/admin/listmounts.xsl", "", ADMIN).text()).isEqualTo(page.text());
    assertThat(get("/admin/listclients.xsl", "", null).status()).isEqualTo(400);
  }

  @Test
  void sourceIpHasNoPort() {
    assertThat(AdminService.sourceIp("127.0.0.1:41234")).isEqualTo("127.0.0.1");
    assertThat(AdminService.sourceIp("0:0:0:0:0:0:0:1:41234")).isEqualTo("0:0:0:0:0:0:0:1");
    assertThat(AdminService.sourceIp("0:0:0:0:0:0:0:1")).isEqualTo("0:0:0:0:0:0:0:1");
  }
}
