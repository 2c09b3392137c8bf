/** Unit tests of the pure playlist parts and of the playlist source on a fake clock. */
package dev.floe.proxy.playlist;
