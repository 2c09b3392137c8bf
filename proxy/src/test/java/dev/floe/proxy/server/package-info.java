/** Unit tests of the front's pure limit helpers (token buckets, the refusal log). */
package dev.floe.proxy.server;
