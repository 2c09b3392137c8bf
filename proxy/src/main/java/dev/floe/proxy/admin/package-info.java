/**
 * Icecast's admin API: pure deciders and renderers, plus the service that applies them to the
 * live mounts. No sockets and no Netty types anywhere in this package.
 *
 * <p>{@link dev.floe.proxy.admin.AdminService} is the wiring: the server's router hands it each
 * {@code /admin/...} and {@code /admin.cgi} request and writes the
 * {@link dev.floe.proxy.admin.AdminResponse} it returns. {@link dev.floe.proxy.admin.UrlListenerAuth}
 * runs Icecast's URL listener authentication for mounts that configure {@code listener-auth}.
 *
 * <p>The server core (issue 3 wiring) parses a request with {@link dev.floe.proxy.admin.AdminRequest},
 * checks credentials with {@link dev.floe.proxy.admin.BasicAuth}, acts on the typed
 * {@link dev.floe.proxy.admin.AdminCommand}, and answers with the text rendered by
 * {@link dev.floe.proxy.admin.AdminXml} (Icecast 2.4.4's XML, byte for byte where icecast2 is
 * deterministic), {@link dev.floe.proxy.admin.AdminJson} (Icecast 2.5's {@code .json} variants),
 * {@link dev.floe.proxy.admin.AdminHtml} (error pages and SHOUTcast-style answers) or
 * {@link dev.floe.proxy.admin.StreamList}. Snapshots come in as the plain records
 * {@link dev.floe.proxy.admin.AdminServer}, {@link dev.floe.proxy.admin.AdminMount} and
 * {@link dev.floe.proxy.admin.AdminListener}. {@link dev.floe.proxy.admin.SourceHeaders} maps a
 * source's request headers to the {@code icy-*} headers its listeners get, as icecast2 does.
 *
 * <p>The parity tests in {@code proxy/src/test/java/dev/floe/proxy/admin} compare every renderer
 * with a real icecast2 2.4.4.
 */
package dev.floe.proxy.admin;
