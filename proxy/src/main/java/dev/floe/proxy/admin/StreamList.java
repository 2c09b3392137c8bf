package dev.floe.proxy.admin;

import java.util.List;

/**
 * {@code /admin/streamlist.txt}, the list Icecast slaves poll: one {@code /mount\r\n} line per
 * non-hidden mount, in mount-name order, served as {@code text/plain; charset=utf-8}. Empty when
 * no mount is listed. A mount name containing CR or LF is left out (it would forge lines).
 */
public final class StreamList {
  /** The Content-Type icecast2 serves it with. */
  public static final String CONTENT_TYPE = "text/plain; charset=utf-8";

  private StreamList() {}

  /** Renders the body. */
  public static String render(List<AdminMount> mounts) {
    StringBuilder sb = new StringBuilder(32 * mounts.size());
    for (AdminMount m : AdminXml.sorted(mounts)) {
      if (!m.hidden() && m.mount().indexOf('\r') < 0 && m.mount().indexOf('\n') < 0) {
        sb.append(m.mount()).append("\r\n");
      }
    }
    return sb.toString();
  }
}
