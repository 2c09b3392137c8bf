/**
 * Coverage-guided fuzz targets (Jazzer {@code @FuzzTest}) for what the proxy parses from users
 * and the network on its own: the HOCON configuration and admin requests. One class per target;
 * without {@code JAZZER_FUZZ} they replay their seed corpus as plain tests; see
 * docs/reliability.md.
 */
package dev.floe.proxy.fuzz;
