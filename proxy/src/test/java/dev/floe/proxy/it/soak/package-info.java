/**
 * The soak test of issue 7: the whole topology as real processes for a bounded time
 * ({@code floe.soak.minutes}, default 5; {@code FLOE_SOAK_MINUTES=60 bash scripts/test
 * -Dtest=SoakTest} for longer), with churn, bad clients and source kills, checking that
 * nothing leaks or is lost.
 */
package dev.floe.proxy.it.soak;
