package dev.floe.icy.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.floe.icy.head.HeadEncoder;
import dev.floe.icy.head.HeadLimits;
import dev.floe.icy.head.RequestHead;
import dev.floe.icy.head.RequestHeadDecoder;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * {@link RequestHeadDecoder} on hostile bytes: a head, "needs more" or a {@code HeadException},
 * never anything else; the same outcome however the bytes are split into feeds and after a
 * {@code reset()}; an accepted head stays within the limits and survives encode and decode.
 */
class RequestHeadDecoderFuzzTest {

  @FuzzTest(maxDuration = "5s")
  void decode(FuzzedDataProvider data) {
    long seed = data.consumeLong();
    HeadLimits limits = HeadOutcome.limits(data);
    byte[] in = data.consumeRemainingAsBytes();

    RequestHeadDecoder decoder = new RequestHeadDecoder(limits);
    HeadOutcome whole = HeadOutcome.decode(decoder, List.of(ByteBuffer.wrap(in)));
    HeadOutcome split = HeadOutcome.decode(new RequestHeadDecoder(limits), Splits.of(in, seed));
    assertThat(split).isEqualTo(whole);
    decoder.reset();
    assertThat(HeadOutcome.decode(decoder, List.of(ByteBuffer.wrap(in)))).isEqualTo(whole);

    if (whole.head() instanceof RequestHead head) {
      HeadOutcome.assertWithin(limits, head.headers(), whole.consumed(),
          head.method(), head.target(), head.version());
      head.path();
      head.query();
      head.queryParams();
      head.host();
      assertThat(head.hostPort(-1)).isBetween(-1, 65535);
      byte[] again = HeadEncoder.encode(head);
      HeadOutcome re = HeadOutcome.decode(
          new RequestHeadDecoder(HeadOutcome.roomy(limits)), List.of(ByteBuffer.wrap(again)));
      assertThat(re.head()).isEqualTo(head);
      assertThat(re.consumed()).isEqualTo(again.length);
    }
  }
}
