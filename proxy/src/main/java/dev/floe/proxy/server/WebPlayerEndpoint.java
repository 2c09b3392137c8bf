package dev.floe.proxy.server;

import dev.floe.icy.head.RequestHead;
import dev.floe.proxy.config.WebPlayerSettings;
import dev.floe.proxy.mount.Mount;
import dev.floe.proxy.mount.MountRegistry;
import dev.floe.proxy.mount.StreamInfo;
import dev.floe.proxy.web.PlayerScript;
import dev.floe.proxy.web.WebPlayerPage;
import io.netty.channel.Channel;
import java.nio.charset.StandardCharsets;

/**
 * The station web player: {@code /<mount>.html} (the page, {@link WebPlayerPage}) and
 * {@code /floe-player.js} (its script, {@link PlayerScript}: gzipped when the browser takes it,
 * cached for a year under its versioned name).
 */
final class WebPlayerEndpoint {
  static final String SCRIPT_PATH = "/floe-player.js";
  private static final String JS = "text/javascript; charset=utf-8";

  private final MountRegistry mounts;
  private final Responses responses;
  private final PlayerScript script;
  private final WebPlayerSettings web;

  /**
   * @param script the bundled script, or null when this build has none
   * @param web {@code server.web-player}: off, nothing here is served (404)
   */
  WebPlayerEndpoint(MountRegistry mounts, Responses responses, PlayerScript script,
      WebPlayerSettings web) {
    this.mounts = mounts;
    this.responses = responses;
    this.script = script;
    this.web = web;
  }

  /** Answers when {@code path} is a player page or its script; false (nothing sent) otherwise. */
  boolean handle(Channel ch, RequestHead req, String path, boolean head) {
    if (!web.enabled()) {
      return false;
    }
    if (path.equals(SCRIPT_PATH)) {
      script(ch, req, head);
      return true;
    }
    if (!path.endsWith(".html")) {
      return false;
    }
    Mount mount = mounts.get(path.substring(0, path.length() - ".html".length()));
    if (mount == null) {
      return false;
    }
    StreamInfo info = mount.info();
    String name = info == null ? null : info.header("icy-name");
    String page = WebPlayerPage.render(mount.path(), name == null ? mount.path() : name,
        mount.metadata().title(), script == null ? null : script.path(), web.stun(),
        web.reportInterval().toMillis(), web.tracker());
    responses.send(ch, 200, "OK", "text/html; charset=utf-8",
        page.getBytes(StandardCharsets.UTF_8), head);
    return true;
  }

  private void script(Channel ch, RequestHead req, boolean head) {
    if (script == null) {
      responses.error(ch, 404, "File Not Found", "This Floe was built without the web player's"
          + " script (-Dfloe.web.skip=true); the page plays the plain stream");
      return;
    }
    String cache = script.version().equals(req.queryParams().get("v"))
        ? "public, max-age=31536000, immutable" : "no-cache";
    String accept = req.headers().get("Accept-Encoding");
    if (accept != null && accept.contains("gzip")) {
      responses.sendWith(ch, JS, script.gzip(), head, cache, "Content-Encoding", "gzip",
          "Vary", "Accept-Encoding");
    } else {
      responses.sendWith(ch, JS, script.plain(), head, cache, "Vary", "Accept-Encoding");
    }
  }
}
