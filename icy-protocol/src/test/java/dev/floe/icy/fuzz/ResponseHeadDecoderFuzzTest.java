package dev.floe.icy.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.floe.icy.head.HeadEncoder;
import dev.floe.icy.head.HeadLimits;
import dev.floe.icy.head.ResponseHead;
import dev.floe.icy.head.ResponseHeadDecoder;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * {@link ResponseHeadDecoder} on hostile bytes: a head, "needs more" or a {@code HeadException},
 * never anything else; the same outcome however the bytes are split into feeds and after a
 * {@code reset()}; an accepted head stays within the limits and survives encode and decode (an
 * empty reason is encoded as the standard phrase, so only a non-empty one is compared).
 */
class ResponseHeadDecoderFuzzTest {

  @FuzzTest(maxDuration = "5s")
  void decode(FuzzedDataProvider data) {
    long seed = data.consumeLong();
    HeadLimits limits = HeadOutcome.limits(data);
    byte[] in = data.consumeRemainingAsBytes();

    ResponseHeadDecoder decoder = new ResponseHeadDecoder(limits);
    HeadOutcome whole = HeadOutcome.decode(decoder, List.of(ByteBuffer.wrap(in)));
    HeadOutcome split = HeadOutcome.decode(new ResponseHeadDecoder(limits), Splits.of(in, seed));
    assertThat(split).isEqualTo(whole);
    decoder.reset();
    assertThat(HeadOutcome.decode(decoder, List.of(ByteBuffer.wrap(in)))).isEqualTo(whole);

    if (whole.head() instanceof ResponseHead head) {
      HeadOutcome.assertWithin(limits, head.headers(), whole.consumed(),
          head.version(), head.reason());
      assertThat(head.status()).isBetween(0, 999);
      byte[] again = HeadEncoder.encode(head);
      HeadOutcome re = HeadOutcome.decode(
          new ResponseHeadDecoder(HeadOutcome.roomy(limits)), List.of(ByteBuffer.wrap(again)));
      ResponseHead back = (ResponseHead) re.head();
      assertThat(back.status()).isEqualTo(head.status());
      assertThat(back.headers()).isEqualTo(head.headers());
      if (!head.reason().isEmpty()) {
        assertThat(back.reason()).isEqualTo(head.reason());
      }
      assertThat(re.consumed()).isEqualTo(again.length);
    }
  }
}
