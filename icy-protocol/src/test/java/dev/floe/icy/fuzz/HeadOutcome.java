package dev.floe.icy.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.icy.head.HeadDecoder;
import dev.floe.icy.head.HeadException;
import dev.floe.icy.head.HeadLimits;
import dev.floe.icy.head.Headers;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * What a head decoder made of some bytes: a head and how many bytes it consumed, a {@link
 * HeadException} kind, or "needs more" (all three null). Any other exception escapes: a bug.
 */
record HeadOutcome(Object head, int consumed, HeadException.Kind error) {

  /** Feeds {@code feeds} in order until the decoder returns a head or throws. */
  static HeadOutcome decode(HeadDecoder<?> decoder, List<ByteBuffer> feeds) {
    int before = 0;
    for (ByteBuffer feed : feeds) {
      int start = feed.position();
      try {
        Object head = decoder.decode(feed);
        if (head != null) {
          return new HeadOutcome(head, before + feed.position() - start, null);
        }
        assertThat(feed.hasRemaining()).as("null result must consume the whole feed").isFalse();
      } catch (HeadException e) {
        assertThat(e.status()).isIn(400, 414, 431);
        return new HeadOutcome(null, -1, e.kind());
      }
      before += feed.position() - start;
    }
    return new HeadOutcome(null, -1, null);
  }

  /** Checks that a decoded head respects the limits it was decoded under. */
  static void assertWithin(HeadLimits limits, Headers headers, int consumed, String... parts) {
    assertThat(consumed).isBetween(1, limits.maxHeadBytes());
    assertThat(headers.size()).isLessThanOrEqualTo(limits.maxHeaders());
    for (String p : parts) {
      assertThat(p.length()).isLessThanOrEqualTo(limits.maxLineBytes());
    }
    for (Map.Entry<String, String> e : headers.entries()) {
      assertThat(e.getKey()).isNotEmpty();
      assertThat(e.getKey().length()).isLessThanOrEqualTo(limits.maxLineBytes());
      assertThat(e.getValue().length()).isLessThan(limits.maxHeadBytes());
      assertThat(e.getValue()).doesNotContain("\r", "\n");
    }
  }

  /** Small limits half of the time, so that every limit trips often. */
  static HeadLimits limits(com.code_intelligence.jazzer.api.FuzzedDataProvider data) {
    if (data.consumeBoolean()) {
      return HeadLimits.DEFAULT;
    }
    return new HeadLimits(data.consumeInt(1, 200), data.consumeInt(1, 12), data.consumeInt(1, 600));
  }

  /** Limits large enough for any re-encoded head that was accepted under {@code limits}. */
  static HeadLimits roomy(HeadLimits limits) {
    return new HeadLimits(4 * limits.maxHeadBytes() + 16, limits.maxHeaders(),
        4 * limits.maxHeadBytes() + 16);
  }
}
