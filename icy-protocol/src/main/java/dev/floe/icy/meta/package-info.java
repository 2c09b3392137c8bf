/** ICY in-band metadata: the block codec, the de-interleaver for upstreams and the per-listener interleaver. */
package dev.floe.icy.meta;
