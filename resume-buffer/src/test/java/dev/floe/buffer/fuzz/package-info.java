/**
 * Coverage-guided fuzz targets (Jazzer {@code @FuzzTest}) for the resume-buffer's byte scanners:
 * the {@code Chunker} and the {@code SpliceMatcher}, one class per target. Without {@code
 * JAZZER_FUZZ} they replay their seed corpus as plain tests; see docs/reliability.md.
 */
package dev.floe.buffer.fuzz;
