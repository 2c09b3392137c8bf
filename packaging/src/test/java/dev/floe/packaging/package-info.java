/**
 * Tests of the built packages: the {@code .deb} ({@code dpkg-deb}, {@code lintian}, a real
 * {@code dpkg -i} and purge on this machine, {@code systemd-analyze verify}), the
 * {@code .tar.gz}, and the systemd unit's directives.
 *
 * <p>They run in Maven's {@code integration-test} phase, after {@code package} built the
 * files; the paths come from system properties set in {@code packaging/pom.xml}. A missing
 * tool ({@code dpkg-deb}, {@code lintian}, {@code systemd-analyze}, {@code tar}) fails the
 * test, naming the Debian package to install ({@code scripts/install-test-tools}).
 */
package dev.floe.packaging;
