/**
 * The front, on the plain port and the optional HTTPS port ({@link
 * dev.floe.proxy.server.TlsCertificate}): reads request heads with icy-protocol's decoder,
 * answers bad input, and routes players, sources, admin, status and playlist requests.
 */
package dev.floe.proxy.server;
