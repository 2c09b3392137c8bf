package dev.floe.proxy.config;

import java.util.Objects;

/**
 * A mount's Icecast mount settings beyond the stream's buffering (issue 15): who may source it,
 * the commands run when a source connects and leaves, the stream description that replaces
 * what its source sends, and the charset of its title updates. Keys {@code source-user}, {@code
 * on-connect}, {@code on-disconnect}, {@code stream-name}, {@code stream-description}, {@code
 * stream-url}, {@code stream-genre}, {@code charset} of a mount ({@code <username>}, {@code
 * <on-connect>}, ... of an Icecast {@code <mount>}).
 *
 * @param sourceUser the user name a source must give (Icecast's {@code <username>}; default
 *     {@code source})
 * @param onConnect a program run with the mount path as its argument when a source connects, or
 *     null
 * @param onDisconnect the same when the source leaves, or null
 * @param streamName {@code icy-name} listeners see instead of the source's, or null
 * @param streamDescription {@code icy-description} instead of the source's, or null
 * @param streamUrl {@code icy-url} instead of the source's, or null
 * @param streamGenre {@code icy-genre} instead of the source's, or null
 * @param charset the charset of title updates that do not say theirs (Icecast's {@code
 *     <charset>}; a name Java knows), or null for UTF-8 when valid, else ISO-8859-1
 */
public record MountExtras(String sourceUser, String onConnect, String onDisconnect,
    String streamName, String streamDescription, String streamUrl, String streamGenre,
    String charset) {
  /** Icecast's source user name. */
  public static final String DEFAULT_SOURCE_USER = "source";

  /** A mount without any of these settings. */
  public static final MountExtras NONE =
      new MountExtras(DEFAULT_SOURCE_USER, null, null, null, null, null, null, null);

  /** Checks the user name for null. */
  public MountExtras {
    Objects.requireNonNull(sourceUser, "sourceUser");
  }

  /** Whether any stream description is overridden. */
  public boolean overridesStream() {
    return streamName != null || streamDescription != null || streamUrl != null
        || streamGenre != null;
  }
}
