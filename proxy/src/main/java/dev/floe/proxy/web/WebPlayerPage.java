package dev.floe.proxy.web;

import dev.floe.proxy.status.Escape;

/**
 * The page of {@code /<mount>.html}: one column, large type and a large play button, readable on a
 * phone and small enough for an iframe. It plays without any script: the {@code <audio>} element
 * holds the mount's plain stream. {@code floe-player.js} then upgrades it to HLS (hls.js with
 * browser peers, or the browser's own HLS) and keeps the title current. Pure: everything that came
 * from a source or a request is escaped.
 */
public final class WebPlayerPage {
  private WebPlayerPage() {}

  /**
   * @param mount the mount's path, e.g. {@code /live}
   * @param name the station's name ({@code icy-name}, else the mount)
   * @param title the title playing now, or null
   * @param script the script's path with its version, e.g. {@code /floe-player.js?v=1a2b}, or
   *     null when Floe was built without it (the page then plays the plain stream)
   */
  public static String render(String mount, String name, String title, String script) {
    return render(mount, name, title, script, null, 0, true);
  }

  /**
   * The page with the station's WebRTC and report settings ({@code server.web-player}).
   *
   * @param stun the STUN servers the page names ({@code data-stun}), or null for the player's
   *     own defaults
   * @param reportMillis how often the player reports its counters ({@code data-report-ms}); 0
   *     for the player's default
   * @param peers whether browsers share segments (false: {@code data-p2p="off"}, the player
   *     fetches every segment from Floe and asks no tracker)
   */
  public static String render(String mount, String name, String title, String script,
      java.util.List<String> stun, long reportMillis, boolean peers) {
    String m = Escape.html(mount);
    String shown = title == null || title.isBlank() ? "" : Escape.html(title);
    StringBuilder b = new StringBuilder(2048);
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>").append(shown.isEmpty() ? Escape.html(name) : shown)
        .append("</title>\n<style>\n")
        .append("html,body{margin:0;background:#16181d;color:#f2f2f2;")
        .append("font:18px/1.4 system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif}\n")
        .append(".floe-player{box-sizing:border-box;max-width:32rem;margin:0 auto;")
        .append("padding:1rem;display:flex;flex-direction:column;gap:.8rem}\n")
        .append(".floe-name{font-size:.9rem;color:#9aa3ad;text-transform:uppercase;")
        .append("letter-spacing:.05em}\n")
        .append(".floe-title{font-size:1.35rem;font-weight:600;overflow-wrap:anywhere;")
        .append("min-height:1.9rem}\n")
        .append(".floe-play{font:inherit;font-size:1.25rem;padding:.9rem;border:0;")
        .append("border-radius:.6rem;background:#2d9d78;color:#fff;cursor:pointer}\n")
        .append(".floe-play:focus-visible{outline:3px solid #fff}\n")
        .append("audio{width:100%}\n.floe-mode{font-size:.75rem;color:#7d8590}\n")
        .append("</style></head><body>\n")
        .append("<main class=\"floe-player\" data-mount=\"").append(m)
        .append("\" data-stream=\"").append(m)
        .append("\" data-playlist=\"").append(m).append(".m3u8\"")
        .append(stun == null ? "" : " data-stun=\"" + Escape.html(String.join(" ", stun)) + "\"")
        .append(reportMillis <= 0 ? "" : " data-report-ms=\"" + reportMillis + "\"")
        .append(peers ? "" : " data-p2p=\"off\"")
        .append(">\n")
        .append("<div class=\"floe-name\">").append(Escape.html(name)).append("</div>\n")
        .append("<div class=\"floe-title\" aria-live=\"polite\">").append(shown).append("</div>\n")
        .append("<button class=\"floe-play\" type=\"button\" hidden>Play</button>\n")
        .append("<audio controls preload=\"none\" src=\"").append(m).append("\"></audio>\n")
        .append("<div class=\"floe-mode\"></div>\n</main>\n");
    if (script != null) {
      b.append("<script src=\"").append(Escape.html(script)).append("\" defer></script>\n");
    }
    return b.append("</body></html>\n").toString();
  }
}
