package dev.floe.proxy.admin;

/**
 * The texts icecast2 2.4.4 answers admin requests with, verbatim (checked against the real
 * server by the parity tests).
 */
public final class AdminMessages {
  /** {@code metadata} accepted ({@code <return>1</return>}). */
  public static final String METADATA_UPDATED = "Metadata update successful";
  /** {@code metadata} with a {@code mode} other than {@code updinfo} ({@code return 0}). */
  public static final String NO_SUCH_ACTION = "No such action";
  /** {@code metadata} on a mount whose format takes no URL updates (Ogg), return 0. */
  public static final String NO_URL_UPDATES = "Mountpoint will not accept URL updates";
  /** {@code killsource} done ({@code return 1}). */
  public static final String SOURCE_REMOVED = "Source Removed";
  /** {@code fallbacks} done (an HTML page, see {@link AdminHtml#success(String)}). */
  public static final String FALLBACK_CONFIGURED = "Fallback configured";
  /** 400: a required parameter is missing. */
  public static final String MISSING_PARAMETER = "Missing parameter";
  /** 400: a mount command without {@code mount}. */
  public static final String UNKNOWN_ADMIN_REQUEST = "Unknown admin request";
  /** 400: no such admin command. */
  public static final String UNRECOGNISED_COMMAND = "Unrecognised command";
  /** 400: {@code mount} names no live source. */
  public static final String SOURCE_DOES_NOT_EXIST = "Source does not exist";
  /** 400: {@code moveclients} to a mount that does not exist. */
  public static final String NO_SUCH_DESTINATION = "No such destination";
  /** 400: {@code moveclients} to the same mount. */
  public static final String IDENTICAL_MOUNTS = "supplied mountpoints are identical";
  /** 400: {@code moveclients} to a mount that exists but has no running source. */
  public static final String DESTINATION_NOT_RUNNING = "Destination not running";

  private AdminMessages() {}

  /** {@code killclient} found and removed the listener ({@code return 1}). */
  public static String clientRemoved(long id) {
    return "Client " + id + " removed";
  }

  /** {@code killclient} found no such listener ({@code return 0}). */
  public static String clientNotFound(long id) {
    return "Client " + id + " not found";
  }

  /** {@code moveclients} done ({@code return 1}). */
  public static String clientsMoved(String from, String to) {
    return "Clients moved from " + from + " to " + to;
  }
}
