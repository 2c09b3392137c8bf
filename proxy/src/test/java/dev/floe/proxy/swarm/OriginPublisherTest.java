package dev.floe.proxy.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.icy.meta.IcyMetadata;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The origin publishes each back-buffer chunk in order at its position, each title change and
 * each Ogg header, to a real origin node, and a real peer node and peer mount get them: the same
 * bytes at the same positions, each title at the same position as on the origin, with and without
 * a StreamUrl (issue 14: a title without one used to stop the swarm for good with an NPE).
 */
class OriginPublisherTest {
  private static final int TICK_BYTES = 8 * Audio.FRAME;

  private SwarmPair pair;

  @AfterEach
  void tearDown() {
    if (pair != null) {
      pair.close();
    }
  }

  @Test
  void titlesWithAndWithoutAUrlReachThePeerAtTheirPositions() throws Exception {
    byte[] audio = Audio.frames(1200); // 31 s, more than the test needs
    pair = new SwarmPair();
    pair.startSource("audio/mpeg", audio);
    // the peer plays before the first title, so every title is a change it must see
    await().atMost(Duration.ofSeconds(20)).until(() -> pair.played.size() >= 2);
    String[][] titles = {{"Artist One - Song A", null}, {"Song B", "http://radio.example/b"},
        {"Artist Two - Song C", null}, {"Song D", ""}};
    for (String[] t : titles) {
      long at = pair.fed();
      pair.onSource(() -> pair.origin.updateMetadata(IcyMetadata.of(t[0], t[1])));
      await().atMost(Duration.ofSeconds(5)).until(() -> pair.fed() >= at + 4 * TICK_BYTES);
    }
    long end = pair.awaitOriginHolds(pair.fed());
    pair.awaitPeerHolds(end);

    long from = pair.onPeer(() -> pair.peer.buffer().oldest());
    List<SwarmPair.Title> onOrigin = SwarmPair.titles(pair.origin.buffer()).stream()
        .filter(t -> t.position() > from).toList();
    List<SwarmPair.Title> onPeer = pair.onPeer(() -> SwarmPair.titles(pair.peer.buffer()))
        .stream().filter(t -> t.position() > from).toList();
    assertThat(onOrigin).extracting(SwarmPair.Title::title)
        .containsExactly("Artist One - Song A", "Song B", "Artist Two - Song C", "Song D");
    // an empty or missing StreamUrl travels as none
    assertThat(onPeer).extracting(SwarmPair.Title::position, SwarmPair.Title::title)
        .containsExactlyElementsOf(onOrigin.stream().map(t -> org.assertj.core.groups.Tuple
            .tuple(t.position(), t.title())).toList());
    assertThat(onPeer.get(1).url()).isEqualTo("http://radio.example/b");
    assertThat(pair.onPeer(() -> Audio.held(pair.peer.buffer()))).as("the peer's bytes")
        .startsWith(Arrays.copyOfRange(audio, (int) from, (int) end));
    assertThat(pair.publisher.errors().count()).isZero();
    assertThat(pair.directs).as("no direct pull").isEmpty();
    // seq counts the chunks of the epoch from 0, at the origin's chunk positions
    List<Long> starts = SwarmPair.starts(pair.origin.buffer());
    for (long[] p : pair.played) {
      assertThat(p[2]).as("position of seq %d", p[1]).isEqualTo(starts.get((int) p[1]));
    }
    assertThat(pair.played.stream().mapToLong(p -> p[0])).as("one epoch, the origin's")
        .containsOnly((long) Epochs.toSwarm(pair.origin.segment().epoch()));
  }

  @Test
  void anUnpublishableRecordIsCountedAndTheNextChunksStillGoOut() throws Exception {
    // an Ogg header over the swarm's 64 KiB cannot be published; the audio after it can. The
    // OpusTags packet is 85 KB (embedded cover art does that), on 334 continued 255-byte pages.
    java.io.ByteArrayOutputStream huge = new java.io.ByteArrayOutputStream();
    byte[] opusHead = OggAudio.header(1, "tags");
    huge.write(opusHead, 0, 27 + 1 + (opusHead[27] & 0xFF)); // its first page: OpusHead
    byte[] tags = new byte[300 * 255 + 100];
    System.arraycopy("OpusTags".getBytes(StandardCharsets.ISO_8859_1), 0, tags, 0, 8);
    int pages = 0;
    for (int at = 0; at < tags.length; at += 255, pages++) {
      byte[] body = java.util.Arrays.copyOfRange(tags, at, Math.min(tags.length, at + 255));
      huge.writeBytes(OggAudio.page(at == 0 ? 0 : 1, 0, 1, 1 + pages, body));
    }
    huge.writeBytes(OggAudio.audio(1, pages, 1500));
    pair = new SwarmPair();
    pair.startSource("application/ogg", huge.toByteArray());
    await().atMost(Duration.ofSeconds(20)).until(() -> pair.played.size() >= 3);

    assertThat(pair.publisher.errors().count()).isEqualTo(1);
    assertThat(pair.publisher.errors().last()).contains("stream header").contains("65536");
    long before = pair.played.size();
    await().atMost(Duration.ofSeconds(10)).until(() -> pair.played.size() >= before + 3);
    assertThat(pair.publisher.errors().count()).as("counted once, not per chunk").isEqualTo(1);
  }
}
