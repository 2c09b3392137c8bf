/**
 * Coverage-guided fuzz targets (Jazzer {@code @FuzzTest}) for the icy-protocol parsers: one class
 * per target so that each one gets its own fuzzing run. Without {@code JAZZER_FUZZ} they replay
 * their seed corpus ({@code src/test/resources/dev/floe/icy/fuzz/<Class>Inputs/<method>/}) as
 * plain tests; see docs/reliability.md.
 */
package dev.floe.icy.fuzz;
