/** Tests of the status and playlist renderers, with a strict JSON parser to check validity. */
package dev.floe.proxy.status;
