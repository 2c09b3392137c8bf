/** Floe's resume extension to the Icecast protocol: the {@code Floe-Position} and {@code Floe-Window} header values. */
package dev.floe.icy.resume;
