package dev.floe.proxy.server;

import dev.floe.icy.head.RequestHead;
import dev.floe.proxy.mount.Mount;
import dev.floe.proxy.mount.MountRegistry;
import dev.floe.proxy.mount.StreamInfo;
import dev.floe.proxy.status.Playlists;
import io.netty.channel.Channel;
import java.nio.charset.StandardCharsets;

/** A mount's playlist: {@code /mount.m3u}, {@code .pls} or {@code .xspf}. */
final class PlaylistEndpoint {
  private final MountRegistry mounts;
  private final Responses responses;
  private final ListenUrl urls;

  PlaylistEndpoint(MountRegistry mounts, Responses responses, ListenUrl urls) {
    this.mounts = mounts;
    this.responses = responses;
    this.urls = urls;
  }

  /** Answers when {@code path} is a mount's playlist; false (nothing sent) otherwise. */
  boolean handle(Channel ch, RequestHead req, String path, boolean head) {
    int dot = path.lastIndexOf('.');
    if (dot <= 0) {
      return false;
    }
    Mount mount = mounts.get(path.substring(0, dot));
    if (mount == null) {
      return false;
    }
    String url = urls.of(ch, req, mount);
    String title = streamName(mount);
    switch (path.substring(dot)) {
      case ".m3u" -> responses.send(ch, 200, "OK", Playlists.M3U_CONTENT_TYPE,
          Playlists.m3u(url).getBytes(StandardCharsets.UTF_8), head);
      case ".pls" -> responses.send(ch, 200, "OK", Playlists.PLS_CONTENT_TYPE,
          Playlists.pls(url, title).getBytes(StandardCharsets.UTF_8), head);
      case ".xspf" -> responses.send(ch, 200, "OK", Playlists.XSPF_CONTENT_TYPE,
          Playlists.xspf(url, title, null, mount.metadata().title())
              .getBytes(StandardCharsets.UTF_8), head);
      default -> {
        return false;
      }
    }
    return true;
  }

  private static String streamName(Mount mount) {
    StreamInfo info = mount.info();
    String name = info == null ? null : info.header("icy-name");
    return name == null ? mount.path() : name;
  }
}
