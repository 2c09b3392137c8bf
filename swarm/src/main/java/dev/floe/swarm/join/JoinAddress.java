package dev.floe.swarm.join;

import dev.floe.swarm.chunk.ChannelKey;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * A channel's join address: the origin's mount URL with the channel key in the fragment, e.g.
 * {@code http://origin.example:8000/live.mp3#floe=<52 base32 characters>}.
 *
 * <p>Why this form rather than {@code floe://key@host/mount}: it is still an ordinary stream URL.
 * A player that knows nothing of Floe drops the fragment (it is never sent to the server) and plays
 * the origin's mount directly, and a Floe node finds both the tracker (the origin's port) and the
 * fallback mount in it. The key in the URL means a node never trusts a key that the network
 * handed it. Scheme {@code http} or {@code https}; the port defaults to 80 or 443; the mount is
 * the path (not {@code /}), without query. Immutable.
 */
public record JoinAddress(boolean https, String host, int port, String mount, ChannelKey channel) {
  private static final String KEY_PARAM = "floe=";

  /** @throws IllegalArgumentException if a field is out of range */
  public JoinAddress {
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("join address needs a host");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("join address port " + port + " outside 1..65535");
    }
    if (mount == null || !mount.startsWith("/") || mount.length() < 2) {
      throw new IllegalArgumentException("join address needs a mount path like /live.mp3");
    }
    if (channel == null) {
      throw new IllegalArgumentException("join address needs a channel key");
    }
  }

  /**
   * Parses a join address.
   *
   * @throws IllegalArgumentException with a message that says what is wrong and shows the form
   */
  public static JoinAddress parse(String text) {
    URI uri;
    try {
      uri = new URI(text.trim());
    } catch (URISyntaxException e) {
      throw bad(text, "is not a URL (" + e.getReason() + " at index " + e.getIndex() + ")");
    }
    String scheme = uri.getScheme();
    if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
      throw bad(text, "must start with http:// or https://");
    }
    boolean https = scheme.equalsIgnoreCase("https");
    if (uri.getHost() == null) {
      throw bad(text, "has no host");
    }
    if (uri.getRawQuery() != null) {
      throw bad(text, "must not have a query (?...): an Icecast mount has none");
    }
    String path = uri.getPath();
    if (path == null || path.length() < 2) {
      throw bad(text, "has no mount path (like /live.mp3)");
    }
    String fragment = uri.getRawFragment();
    if (fragment == null || !fragment.startsWith(KEY_PARAM)) {
      throw bad(text, "has no '#floe=<channel key>' at the end");
    }
    ChannelKey key;
    try {
      key = ChannelKey.parse(fragment.substring(KEY_PARAM.length()));
    } catch (IllegalArgumentException e) {
      throw bad(text, "has a bad " + e.getMessage());
    }
    int port = uri.getPort() == -1 ? (https ? 443 : 80) : uri.getPort();
    return new JoinAddress(https, uri.getHost(), port, path, key);
  }

  /** The mount's plain stream URL (no fragment, default port left out): the fallback. */
  public URI streamUri() {
    try {
      int shown = port == (https ? 443 : 80) ? -1 : port;
      return new URI(https ? "https" : "http", null, host, shown, mount, null, null);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The copyable form. */
  @Override
  public String toString() {
    return streamUri().toASCIIString() + "#" + KEY_PARAM + channel;
  }

  private static IllegalArgumentException bad(String text, String what) {
    return new IllegalArgumentException("join address '" + text + "' " + what
        + "; expected http://host:port/mount#floe=<52-character channel key>");
  }
}
