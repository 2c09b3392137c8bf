/**
 * Source ingest against real encoders (ffmpeg PUT and SOURCE, ezstream/libshout, a SHOUTcast v1
 * client), icecast2 relaying a Floe source mount, bad sources and source loss.
 */
package dev.floe.proxy.it.source;
