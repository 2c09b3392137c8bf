/**
 * The peer swarm as pure code: no sockets, no threads, clocks injected. The proxy's peer transport
 * (Netty) drives these state machines; the simulation drives the same scheduler for 10,000 nodes.
 */
package dev.floe.swarm;
