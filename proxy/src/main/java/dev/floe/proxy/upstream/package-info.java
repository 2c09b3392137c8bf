/** The upstream client: pulls a mount from Icecast, SHOUTcast or Floe, and reconnects with backoff. */
package dev.floe.proxy.upstream;
