/** Unit tests of the proxy's swarm glue against real mounts (no network). */
package dev.floe.proxy.swarm;
