package dev.floe.icy.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.floe.icy.meta.Deinterleaver;
import dev.floe.icy.meta.IcyMetadata;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Deinterleaver} with a hostile {@code metaint} and hostile bytes split into random feeds:
 * never an exception; the audio out and the metadata blocks are exactly what a plain reading of
 * the ICY framing gives (so audio plus length bytes plus block payloads account for every input
 * byte), every audio slice is non-empty, and {@link Deinterleaver#audioBytes()} counts the audio.
 */
class DeinterleaverFuzzTest {

  @FuzzTest(maxDuration = "5s")
  void feed(FuzzedDataProvider data) {
    long seed = data.consumeLong();
    int metaint = data.consumeBoolean() ? data.consumeInt(-2, 64) : data.consumeInt(1, 70000);
    byte[] in = data.consumeRemainingAsBytes();

    ByteArrayOutputStream audio = new ByteArrayOutputStream();
    List<IcyMetadata> metas = new ArrayList<>();
    Deinterleaver d = new Deinterleaver(metaint, new Deinterleaver.Listener() {
      @Override
      public void audio(ByteBuffer slice) {
        assertThat(slice.remaining()).isPositive();
        byte[] b = new byte[slice.remaining()];
        slice.get(b);
        audio.write(b, 0, b.length);
      }

      @Override
      public void metadata(IcyMetadata meta) {
        metas.add(meta);
      }
    });
    for (ByteBuffer feed : Splits.of(in, seed)) {
      d.feed(feed);
      assertThat(feed.hasRemaining()).isFalse();
    }

    // The model: metaint audio bytes, a length byte L, 16 L payload bytes, and again.
    ByteArrayOutputStream wantAudio = new ByteArrayOutputStream();
    List<IcyMetadata> wantMetas = new ArrayList<>();
    int pos = 0;
    long framing = 0;
    while (pos < in.length) {
      int n = metaint <= 0 ? in.length - pos : Math.min(metaint, in.length - pos);
      wantAudio.write(in, pos, n);
      pos += n;
      if (pos == in.length) {
        break;
      }
      int size = 16 * (in[pos++] & 0xFF);
      framing++;
      int have = Math.min(size, in.length - pos);
      if (size > 0 && have == size) {
        wantMetas.add(IcyMetadata.parse(in, pos, size));
      }
      pos += have;
      framing += have;
    }
    assertThat(audio.toByteArray()).isEqualTo(wantAudio.toByteArray());
    assertThat(metas).isEqualTo(wantMetas);
    assertThat(d.audioBytes()).isEqualTo(audio.size());
    assertThat(d.audioBytes() + framing).isEqualTo(in.length);
  }
}
