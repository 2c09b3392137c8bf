/**
 * Floe's configuration: HOCON files layered over {@code reference.conf}, validated once into
 * immutable records ({@link dev.floe.proxy.config.FloeConfig}, {@link
 * dev.floe.proxy.config.ServerSettings}, {@link dev.floe.proxy.config.MountSettings}).
 *
 * <p>{@link dev.floe.proxy.config.ConfigLoader} is the only way in; it reports every problem it
 * finds at once through {@link dev.floe.proxy.config.InvalidConfigException}. All types are
 * immutable and thread safe; no value in this package is null.
 */
package dev.floe.proxy.config;
