/**
 * Tests of the admin renderers and parsers: pure unit tests, and parity tests that compare them
 * with a real icecast2 2.4.4 ({@code IcecastAdminParityTest}, {@code SourceHeadersParityTest}).
 */
package dev.floe.proxy.admin;
