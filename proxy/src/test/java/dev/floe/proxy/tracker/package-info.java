/** Unit tests of the browsers' tracker: its JSON codec and its swarm bookkeeping. */
package dev.floe.proxy.tracker;
