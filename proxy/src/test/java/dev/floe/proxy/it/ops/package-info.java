/** Operations tests: configuration reload and certificate reload on a running Floe. */
package dev.floe.proxy.it.ops;
