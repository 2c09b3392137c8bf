/**
 * The upstream client against what stations really publish: playlist links (.pls, .m3u, .xspf)
 * resolved to a real icecast2 mount, an HTML page refused, and a station that stays down.
 */
package dev.floe.proxy.it.upstream;
