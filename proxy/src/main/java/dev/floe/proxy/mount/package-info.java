/**
 * Mounts: a stream's back buffer, its metadata, and the listener sessions that read it with
 * their own cursors, woken once per event loop per chunk.
 */
package dev.floe.proxy.mount;
