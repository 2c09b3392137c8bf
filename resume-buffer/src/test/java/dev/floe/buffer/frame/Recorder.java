package dev.floe.buffer.frame;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.buffer.StreamHeader;
import dev.floe.icy.meta.IcyMetadata;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A sink that checks, chunk by chunk, that the emitted bytes are the input bytes in order (for
 * Ogg: each new header's bytes, then the chunks that carry it), and records where each chunk lies
 * in the input. {@link #assertComplete()} then says that nothing was lost at the end.
 */
final class Recorder implements Chunker.Sink {
  record Rec(int inputStart, int length, IcyMetadata meta, StreamHeader header) {
    int inputEnd() {
      return inputStart + length;
    }
  }

  final List<Rec> chunks = new ArrayList<>();
  final List<StreamHeader> headers = new ArrayList<>();
  private final byte[] input;
  private int offset;
  private StreamHeader lastHeader;

  Recorder(byte[] input) {
    this.input = input;
  }

  @Override
  public void chunk(ByteBuffer frames, IcyMetadata meta, StreamHeader header) {
    assertThat(frames.isReadOnly()).isTrue();
    assertThat(frames.remaining()).isPositive();
    assertThat(meta).isNotNull();
    if (header != lastHeader && header != null) {
      expectAt(header.data(), "header " + headers.size());
      headers.add(header);
    }
    lastHeader = header;
    int start = offset;
    int length = frames.remaining();
    expectAt(frames.duplicate(), "chunk " + chunks.size());
    chunks.add(new Rec(start, length, meta, header));
  }

  private void expectAt(ByteBuffer got, String what) {
    int n = got.remaining();
    if (offset + n > input.length
        || got.mismatch(ByteBuffer.wrap(input, offset, n).slice()) != -1) {
      throw new AssertionError(what + " of " + n + " bytes differs from the input at " + offset);
    }
    offset += n;
  }

  void assertComplete() {
    assertThat(offset).as("bytes emitted").isEqualTo(input.length);
  }

  /** Chunk starts, lengths and metadata: what must not depend on how the input was fed. */
  List<String> shape() {
    List<String> out = new ArrayList<>();
    for (Rec r : chunks) {
      out.add(r.inputStart() + "+" + r.length() + " " + r.meta().title() + " h" + headers.indexOf(r.header()));
    }
    return out;
  }
}
