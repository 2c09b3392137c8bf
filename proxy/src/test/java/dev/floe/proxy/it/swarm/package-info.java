/**
 * The peer swarm with real processes: an ffmpeg source into a Floe origin, Floe peers that join
 * it, players on the peers ({@code SwarmInteropTest}), and churn at 20 nodes
 * ({@code SwarmChurnTest}).
 */
package dev.floe.proxy.it.swarm;
