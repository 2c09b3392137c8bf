/**
 * Floe against Icecast's own tests: {@code IcecastAdminConformanceTest} runs Icecast's
 * {@code tests/admin.test} (from {@code ../shared/conformance/icecast-admin/}) against icecast2
 * and against Floe started on the test's own icecast.xml.
 */
package dev.floe.proxy.it.compat;
