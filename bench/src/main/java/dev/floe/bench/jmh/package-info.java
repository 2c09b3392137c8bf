/**
 * JMH micro-benchmarks. The interleaver and resume-buffer benchmarks are added here once those
 * modules have merged; run them with {@code java -jar bench/target/floe-bench.jar}.
 */
package dev.floe.bench.jmh;
