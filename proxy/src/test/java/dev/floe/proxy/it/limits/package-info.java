/**
 * The limits of issue 7 on the real server: connections per address and in total, the head
 * and idle timeouts, the admin request rate and the wrong-password backoff, each checked to
 * bite while other listeners keep playing. Second client addresses are other loopback
 * addresses (127.0.0.2, ...), which Linux routes to 127.0.0.1.
 */
package dev.floe.proxy.it.limits;
