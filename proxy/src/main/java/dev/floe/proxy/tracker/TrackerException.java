package dev.floe.proxy.tracker;

/**
 * A message the tracker refuses: its reason goes back to the client as the WebTorrent
 * protocol's {@code failure reason} (with the info hash, when known, since the WebTorrent client
 * ignores a reply without its own) and into the log.
 */
public final class TrackerException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String action;
  private final String infoHash;

  /**
   * @param action "announce" or "scrape" when known, else null
   * @param infoHash the message's info hash (20 binary characters) when known, else null
   */
  public TrackerException(String reason, String action, String infoHash) {
    super(reason, null, false, false);
    this.action = action;
    this.infoHash = infoHash;
  }

  public String action() {
    return action;
  }

  public String infoHash() {
    return infoHash;
  }
}
