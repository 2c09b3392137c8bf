/** Unit tests of the source side: the on-connect/on-disconnect program runner. */
package dev.floe.proxy.source;
