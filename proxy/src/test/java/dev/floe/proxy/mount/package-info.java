/** Unit tests of the mount package's pure parts (the memory budget). */
package dev.floe.proxy.mount;
