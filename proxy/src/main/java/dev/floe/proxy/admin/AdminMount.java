package dev.floe.proxy.admin;

import java.util.List;
import java.util.Map;

/**
 * One live mount, as the admin documents show it.
 *
 * <p>{@code stats} holds the per-source stats by their Icecast names ({@code bitrate},
 * {@code server_name}, {@code server_description}, {@code genre}, {@code listenurl},
 * {@code public}, {@code max_listeners}, {@code slow_listeners}, {@code source_ip},
 * {@code stream_start}, {@code total_bytes_read}, {@code user_agent}, ...). The record components
 * override the map for {@code listeners}, {@code listener_peak}, {@code server_type} (from
 * {@code contentType}) and {@code title} (when not {@code null}).
 *
 * @param mount the mount path, e.g. {@code /live.mp3}
 * @param contentType the stream's Content-Type ({@code content-type}, {@code server_type})
 * @param listeners current listener count
 * @param listenerPeak highest listener count since the source connected
 * @param connectedSeconds seconds since the source connected ({@code listmounts}' {@code Connected})
 * @param fallback the fallback mount, or {@code null}
 * @param hidden whether the mount is hidden from public lists (left out of {@code streamlist.txt})
 * @param title the current title, or {@code null}
 * @param stats further per-source stats; never {@code null}
 * @param clients the listeners; never {@code null}
 */
public record AdminMount(
    String mount, String contentType, int listeners, int listenerPeak, long connectedSeconds,
    String fallback, boolean hidden, String title, Map<String, String> stats,
    List<AdminListener> clients) {

  /** Copies the collections so the snapshot stays immutable. */
  public AdminMount {
    java.util.Objects.requireNonNull(mount, "mount");
    stats = Map.copyOf(stats);
    clients = List.copyOf(clients);
  }
}
