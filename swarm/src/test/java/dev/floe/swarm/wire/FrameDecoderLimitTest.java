package dev.floe.swarm.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.swarm.chunk.ChannelKey;
import dev.floe.swarm.chunk.NodeId;
import dev.floe.swarm.chunk.OriginKey;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A decoder's configured frame limit lowers every type's maximum and names the type refused. */
class FrameDecoderLimitTest {
  private static final ChannelKey CHANNEL = OriginKey.generate().channelKey();

  /** Magic, a HELLO, then a frame of {@code type} whose length prefix says {@code length}. */
  private static ByteBuffer helloThen(FrameType type, int length) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(PeerWire.magicBytes());
    out.writeBytes(FrameEncoder.encode(new Frame.Hello(PeerWire.VERSION, 0, CHANNEL,
        NodeId.random(new SplittableRandom(1)), 0, null)));
    int v = length;
    while (v >= 0x80) { // the shortest varint: an overlong one is an error of its own
      out.write(v & 0x7F | 0x80);
      v >>>= 7;
    }
    out.write(v);
    out.write(type.code());
    return ByteBuffer.wrap(out.toByteArray());
  }

  @Test
  void aFrameOverTheLimitIsRefusedWithItsType() throws Exception {
    FrameDecoder d = new FrameDecoder(8192);
    ByteBuffer in = helloThen(FrameType.CHUNK, 9000);

    assertThat(d.next(in)).isInstanceOf(Frame.Hello.class);
    assertThatThrownBy(() -> d.next(in)).isInstanceOfSatisfying(FrameException.class, e -> {
      assertThat(e.kind()).isEqualTo(FrameException.Kind.FRAME_TOO_LARGE);
      assertThat(e.getMessage()).contains("CHUNK", "9000", "8192");
    });
  }

  @Test
  void theSameFrameUnderTheProtocolLimitWaitsForItsBody() throws Exception {
    FrameDecoder d = new FrameDecoder();
    ByteBuffer in = helloThen(FrameType.CHUNK, 9000);

    assertThat(d.next(in)).isInstanceOf(Frame.Hello.class);
    assertThat(d.next(in)).as("body not yet in").isNull();
  }

  @Test
  void theLimitNeverRaisesATypesMaximum() throws Exception {
    FrameDecoder d = new FrameDecoder(FrameType.MAX_FRAME);
    ByteBuffer in = helloThen(FrameType.PING, FrameType.PING.maxLength() + 100);

    assertThat(d.next(in)).isInstanceOf(Frame.Hello.class);
    assertThatThrownBy(() -> d.next(in)).isInstanceOfSatisfying(FrameException.class,
        e -> assertThat(e.kind()).isEqualTo(FrameException.Kind.FRAME_TOO_LARGE));
  }

  @Test
  void aLimitOutOfRangeIsRefused() {
    assertThatThrownBy(() -> new FrameDecoder(FrameType.MAX_FRAME + 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("frame limit");
    assertThatThrownBy(() -> new FrameDecoder(1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(new FrameDecoder(4096).limit()).isEqualTo(4096);
  }
}
