/** Unit tests of the HLS parts: segmenter, ID3 writer, playlist renderer, listener counting. */
package dev.floe.proxy.hls;
