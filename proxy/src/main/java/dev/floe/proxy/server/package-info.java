/**
 * The one-port front: reads request heads with icy-protocol's decoder, answers bad input, and
 * routes players, status and playlist requests.
 */
package dev.floe.proxy.server;
