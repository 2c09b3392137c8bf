/**
 * Coverage-guided fuzz targets (Jazzer {@code @FuzzTest}) for the swarm's wire decoder. Without
 * {@code JAZZER_FUZZ} they replay their seed corpus ({@code
 * src/test/resources/dev/floe/swarm/fuzz/<Class>Inputs/<method>/}) as plain tests; see
 * docs/reliability.md.
 */
package dev.floe.swarm.fuzz;
