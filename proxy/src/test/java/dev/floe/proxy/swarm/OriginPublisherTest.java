package dev.floe.proxy.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.icy.head.Headers;
import dev.floe.icy.meta.IcyMetadata;
import dev.floe.proxy.mount.Feed;
import dev.floe.proxy.mount.Mount;
import dev.floe.proxy.mount.MountRegistry;
import dev.floe.proxy.mount.StreamInfo;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The origin publishes each back-buffer chunk in order, at its position, and title changes. */
class OriginPublisherTest {
  record Published(int epoch, long seq, long position, byte[] payload, int micros) {}

  record Meta(int epoch, long position, String title) {}

  private final List<Published> chunks = new ArrayList<>();
  private boolean failNext;
  private final List<Meta> titles = new ArrayList<>();
  private Mount mount;

  @BeforeEach
  void setUp() throws Exception {
    mount = new Mount(Audio.mount("{ path = \"/live\", swarm { role = origin } }"),
        MountRegistry.fixed());
    mount.shortEpochs(true);
    mount.onAppended(new OriginPublisher(mount, new OriginPublisher.Publish() {
      @Override
      public void publish(int epoch, long seq, long position, ByteBuffer payload,
          long originTimeMillis, int durationMicros) {
        if (failNext) {
          failNext = false;
          throw new IllegalStateException("node gone");
        }
        byte[] b = new byte[payload.remaining()];
        payload.get(b);
        chunks.add(new Published(epoch, seq, position, b, durationMicros));
      }

      @Override
      public void publishMetadata(int epoch, long position, String title, String url) {
        titles.add(new Meta(epoch, position, title));
      }
    }));
  }

  private Feed source() {
    return mount.startSource("test", new StreamInfo("audio/mpeg", Headers.EMPTY));
  }

  @Test
  void chunksArePublishedInOrderAtTheirPositionsWithAShortEpoch() {
    byte[] audio = Audio.frames(300);
    Feed feed = source();
    feed.audio(ByteBuffer.wrap(audio));
    mount.feedEnded(feed);

    String epoch = mount.segment().epoch();
    assertThat(epoch).startsWith("00000000");
    assertThat(chunks).hasSizeGreaterThan(3);
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    long next = 0;
    for (int i = 0; i < chunks.size(); i++) {
      Published p = chunks.get(i);
      assertThat(p.seq()).isEqualTo(i);
      assertThat(p.epoch()).isEqualTo(Epochs.toSwarm(epoch));
      assertThat(p.position()).isEqualTo(next);
      assertThat(p.payload().length % Audio.FRAME).isZero();
      assertThat(p.payload().length).isBetween(1, 64 * 1024);
      // 16000 B/s (128 kbit/s): the duration follows the length
      assertThat(p.micros()).isEqualTo((int) (p.payload().length * 1_000_000L / 16_000));
      next += p.payload().length;
      all.writeBytes(p.payload());
    }
    assertThat(next).isEqualTo(mount.buffer().newest());
    assertThat(all.toByteArray()).isEqualTo(Arrays.copyOf(audio, (int) next));
    assertThat(Epochs.toMount(chunks.get(0).epoch())).isEqualTo(epoch);
  }

  @Test
  void aTitleChangeIsPublishedOnceFromTheChunkThatCarriesIt() {
    Feed feed = source();
    feed.audio(ByteBuffer.wrap(Audio.frames(100)));
    mount.updateMetadata(IcyMetadata.of("Song A", null));
    feed.audio(ByteBuffer.wrap(Audio.frames(100)));
    feed.audio(ByteBuffer.wrap(Audio.frames(100)));
    mount.feedEnded(feed);

    assertThat(titles).hasSize(1);
    Meta m = titles.get(0);
    assertThat(m.title()).isEqualTo("Song A");
    Published carrier = chunks.stream().filter(p -> p.position() == m.position()).findFirst()
        .orElseThrow();
    assertThat(carrier.position()).isGreaterThan(0);
  }

  @Test
  void aFailingPublishNeitherStopsTheMountNorShiftsSeq() {
    Feed feed = source();
    feed.audio(ByteBuffer.wrap(Audio.frames(60)));
    failNext = true;
    feed.audio(ByteBuffer.wrap(Audio.frames(60)));
    feed.audio(ByteBuffer.wrap(Audio.frames(60)));
    mount.feedEnded(feed);

    assertThat(mount.buffer().newest()).isEqualTo(180L * Audio.FRAME);
    assertThat(chunks).extracting(Published::seq).doesNotHaveDuplicates();
    Published last = chunks.get(chunks.size() - 1);
    assertThat(last.seq()).isEqualTo(chunks.size()); // one seq was used by the failed chunk
  }

  @Test
  void aNewSourceIsANewEpochFromSeqZero() {
    Feed first = source();
    first.audio(ByteBuffer.wrap(Audio.frames(100)));
    mount.endSource(first);
    int firstEpoch = chunks.get(0).epoch();
    int before = chunks.size();
    Feed second = source();
    second.audio(ByteBuffer.wrap(Audio.frames(100)));
    mount.feedEnded(second);

    Published p = chunks.get(before);
    assertThat(p.epoch()).isNotEqualTo(firstEpoch);
    assertThat(p.seq()).isZero();
    assertThat(p.position()).isZero();
  }
}
