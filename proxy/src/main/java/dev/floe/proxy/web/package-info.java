/**
 * The station web player (issue 18): {@link dev.floe.proxy.web.WebPlayerPage} renders
 * {@code /<mount>.html} (pure), and {@link dev.floe.proxy.web.PlayerScript} is the script it loads,
 * {@code floe-player.js}, bundled at build time by esbuild from the npm packages pinned in
 * {@code proxy/src/main/web/package-lock.json} (hls.js, P2P Media Loader) into this package's
 * classpath folder. How and why: {@code docs/architecture.md}, "The web player".
 */
package dev.floe.proxy.web;
