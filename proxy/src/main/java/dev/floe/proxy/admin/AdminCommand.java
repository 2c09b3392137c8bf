package dev.floe.proxy.admin;

/**
 * What an admin request asks for, once {@link AdminRequest} has parsed and checked it. Every
 * {@code mount} here names a mount the caller's predicate said exists.
 */
public sealed interface AdminCommand {

  /**
   * {@code /admin/metadata?mode=updinfo} or {@code /admin.cgi?mode=updinfo}: set the title.
   * {@code song} wins when present; otherwise {@code artist} and {@code title} (Icecast 2.4.4
   * applies them only when both are present, and keeps the previous artist when only
   * {@code song} is sent: {@code Artist - Song}). All three {@code null} is a valid no-op that
   * icecast2 still answers with success.
   *
   * @param mount the mount
   * @param song the whole title, or {@code null}
   * @param artist the artist, or {@code null}
   * @param title the title, or {@code null}
   * @param charset the charset the values were decoded with (see {@link AdminRequest})
   * @param shoutcast whether it came through {@code /admin.cgi} (answer with
   *     {@link AdminHtml#success(String)} instead of an {@code <iceresponse>})
   */
  record UpdateMetadata(String mount, String song, String artist, String title,
      java.nio.charset.Charset charset, boolean shoutcast) implements AdminCommand {}

  /**
   * {@code /admin/metadata} with a {@code mode} other than {@code updinfo}: answer
   * {@link AdminMessages#NO_SUCH_ACTION} with return 0 (status 200).
   */
  record MetadataNoSuchAction(String mount, String mode) implements AdminCommand {}

  /** {@code /admin/listclients?mount=}. */
  record ListClients(String mount) implements AdminCommand {}

  /** {@code /admin/listmounts}. */
  record ListMounts() implements AdminCommand {}

  /** {@code /admin/stats} (or the deprecated {@code stats.xml}); {@code mount} may be null. */
  record Stats(String mount) implements AdminCommand {}

  /**
   * {@code /admin/killclient?mount=&id=}; {@code id} is parsed as C's {@code atoi} (so
   * {@code abc} is 0, as icecast2 answers "Client 0 not found").
   */
  record KillClient(String mount, long id) implements AdminCommand {}

  /** {@code /admin/killsource?mount=}. */
  record KillSource(String mount) implements AdminCommand {}

  /**
   * {@code /admin/moveclients?mount=&destination=}; {@code destination} is {@code null} when
   * absent (answer with {@link AdminXml#moveClientsChoices}), else an existing other mount (the
   * caller still answers {@link AdminMessages#DESTINATION_NOT_RUNNING} when it has no source).
   */
  record MoveClients(String mount, String destination) implements AdminCommand {}

  /** {@code /admin/fallbacks?mount=&fallback=}; answered with {@link AdminHtml#success}. */
  record Fallbacks(String mount, String fallback) implements AdminCommand {}

  /** {@code /admin/streamlist.txt} (relay credentials). */
  record StreamList() implements AdminCommand {}

  /**
   * {@code /admin/manageauth}: list, add or delete the users of a mount's htpasswd listener
   * authentication. The mount is named by {@code mount} (Icecast 2.4) or by the authentication's
   * {@code id} (Icecast 2.5); exactly one is non-null.
   *
   * @param mount the mount path, or null
   * @param id the authentication's id, or null
   * @param action {@code add}, {@code delete}, or null to list
   * @param user the user to add or delete, or null
   * @param password the password to add with, or null
   */
  record ManageAuth(String mount, Long id, String action, String user, String password)
      implements AdminCommand {
    /** Hides the password from logs. */
    @Override
    public String toString() {
      return "ManageAuth[mount=" + mount + ", id=" + id + ", action=" + action + ", user=" + user
          + "]";
    }
  }

  /**
   * {@code /admin/buildm3u?username=&password=&mount=}: an M3U playlist whose URL carries the
   * listener's credentials; needs no admin credentials (as icecast2).
   */
  record BuildM3u(String mount, String user, String password) implements AdminCommand {
    /** Hides the password from logs. */
    @Override
    public String toString() {
      return "BuildM3u[mount=" + mount + ", user=" + user + "]";
    }
  }

  /** {@code /admin/updatemetadata?mount=}: a page with a form to set the mount's title. */
  record UpdateMetadataForm(String mount) implements AdminCommand {}

  /** {@code /admin/}: the admin page for a person (mounts, listeners, kick, move, title). */
  record AdminPage() implements AdminCommand {}
}
