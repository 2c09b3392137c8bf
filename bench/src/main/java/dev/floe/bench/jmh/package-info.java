/**
 * JMH micro-benchmarks of the hot paths: the ICY interleaver, the resume buffer and the swarm's
 * send path; run them with {@code java -jar bench/target/floe-bench.jar}.
 */
package dev.floe.bench.jmh;
