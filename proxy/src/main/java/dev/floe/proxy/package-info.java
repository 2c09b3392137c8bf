/** Floe's process: the command line and the wiring of server, mounts and upstreams. */
package dev.floe.proxy;
