package dev.floe.icy.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.floe.icy.meta.Deinterleaver;
import dev.floe.icy.meta.IcyMetadata;
import dev.floe.icy.meta.Interleaver;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Interleaver}: the copying API (random output buffer sizes, resuming mid-block) and the
 * planning API give identical bytes for the same audio and metadata changes; what they give
 * de-interleaves back to the audio and the titles; never an exception.
 */
class InterleaverFuzzTest {

  @FuzzTest(maxDuration = "5s")
  void copyingEqualsPlanning(FuzzedDataProvider data) {
    int metaint = data.consumeBoolean() ? data.consumeInt(-1, 48) : data.consumeInt(1, 9000);
    Interleaver copying = new Interleaver(metaint);
    Interleaver planning = new Interleaver(metaint);
    ByteArrayOutputStream copied = new ByteArrayOutputStream();
    ByteArrayOutputStream planned = new ByteArrayOutputStream();
    ByteArrayOutputStream allAudio = new ByteArrayOutputStream();
    List<IcyMetadata> sent = new ArrayList<>();
    int steps = 0;
    while (data.remainingBytes() > 0 && steps++ < 200) {
      if (data.consumeBoolean()) {
        IcyMetadata m = data.consumeBoolean()
            ? IcyMetadata.of(data.consumeString(40), data.consumeBoolean() ? "u" : null)
            : IcyMetadata.of(data.consumeString(5000), null);
        copying.metadata(m);
        planning.metadata(m);
      }
      int outSize = data.consumeInt(1, 5000);
      byte[] audio = data.consumeBytes(data.consumeInt(0, 20000));
      allAudio.write(audio, 0, audio.length);

      ByteBuffer src = ByteBuffer.wrap(audio);
      int guard = 0;
      for (; ; ) {
        ByteBuffer out = ByteBuffer.allocate(outSize);
        int consumed = copying.write(src, out);
        assertThat(consumed).isBetween(0, out.position());
        copied.write(out.array(), 0, out.position());
        if (out.hasRemaining()) {
          break; // nothing more to write: all audio consumed and no block due
        }
        assertThat(++guard).isLessThan(1_000_000);
      }
      assertThat(src.hasRemaining()).isFalse();
      assertThat(copying.midBlock()).isFalse();

      int pos = 0;
      while (pos < audio.length || planning.blockDue()) {
        if (planning.blockDue()) {
          byte[] block = planning.takeBlock();
          if (block.length > 1) {
            sent.add(planning.lastSent());
          }
          planned.write(block, 0, block.length);
          continue;
        }
        int n = Math.min(audio.length - pos, planning.audioUntilBlock());
        planned.write(audio, pos, n);
        planning.audioSent(n);
        pos += n;
      }
      assertThat(copied.toByteArray()).isEqualTo(planned.toByteArray());
      assertThat(copying.audioTotal()).isEqualTo(planning.audioTotal()).isEqualTo(allAudio.size());
    }

    ByteArrayOutputStream back = new ByteArrayOutputStream();
    List<IcyMetadata> titles = new ArrayList<>();
    new Deinterleaver(metaint, new Deinterleaver.Listener() {
      @Override
      public void audio(ByteBuffer slice) {
        byte[] b = new byte[slice.remaining()];
        slice.get(b);
        back.write(b, 0, b.length);
      }

      @Override
      public void metadata(IcyMetadata meta) {
        titles.add(meta);
      }
    }).feed(ByteBuffer.wrap(planned.toByteArray()));
    assertThat(back.toByteArray()).isEqualTo(allAudio.toByteArray());
    assertThat(titles).hasSameSizeAs(sent);
  }
}
