/**
 * The join address: one string a listener can copy, which names the origin's mount and the
 * channel key ({@link dev.floe.swarm.join.JoinAddress}).
 */
package dev.floe.swarm.join;
