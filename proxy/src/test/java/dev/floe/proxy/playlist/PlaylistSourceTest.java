package dev.floe.proxy.playlist;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.floe.buffer.Chunk;
import dev.floe.buffer.Cursor;
import dev.floe.proxy.config.ConfigLoader;
import dev.floe.proxy.config.MountSettings;
import dev.floe.proxy.mount.Mount;
import dev.floe.proxy.mount.MountRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The playlist source on a fake clock, writing into a real {@link Mount}. */
class PlaylistSourceTest {
  private static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");
  private static final long FRAME = 26_122_448L; // 576 samples at 22.05 kHz

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  private Clock clockAt(Instant base) {
    long n0 = nanos.get();
    return new Clock() {
      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId z) {
        return this;
      }

      @Override
      public Instant instant() {
        return base.plusNanos(nanos.get() - n0);
      }
    };
  }

  private static Mount mount(Path list) throws Exception {
    MountSettings s = ConfigLoader.fromConfig(ConfigFactory.parseString(
        "floe { mounts = [ { path = \"/pl\", playlist = \"" + list + "\", burst-size = 8KiB,"
            + " listener-delay = 0 } ] }")).mounts().get(0);
    return new Mount(s, MountRegistry.fixed());
  }

  /** The audio a mount holds from its oldest byte, and the title of its first chunk. */
  private static byte[] held(Mount m, StringBuilder firstTitle) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Cursor c = m.buffer().open(m.buffer().oldest());
    for (Chunk ch = c.next(); ch != null; ch = c.next()) {
      if (out.size() == 0) {
        firstTitle.append(ch.metadata().title());
      }
      ByteBuffer d = ch.data();
      byte[] b = new byte[d.remaining()];
      d.get(b);
      out.write(b);
    }
    return out.toByteArray();
  }

  /** The file's bytes from its frame number {@code k} on (audio frames only, no tags). */
  private static byte[] fromFrame(Path file, int k) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    FrameReader r = new FrameReader();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int fed = r.feed(bytes, 0, bytes.length);
    assertThat(fed).isEqualTo(bytes.length);
    r.endOfInput();
    for (int i = 0; r.next(); i++) {
      if (i >= k) {
        out.write(r.frameBytes(), r.frameOffset(), r.frameLength());
      }
    }
    return out.toByteArray();
  }

  @Test
  void shouldStartLateMidTheScheduledItemAtTheRightOffset(@TempDir Path dir) throws Exception {
    Path a = FrameReaderTest.demo("01-rising.mp3");
    Path b = FrameReaderTest.demo("02-bells.mp3");
    Path rss = Files.writeString(dir.resolve("sched.rss"), """
        <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
            xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
          <item rdf:about="%s"><dc:date>2024-05-01T12:00:00Z</dc:date></item>
          <item rdf:about="%s"><dc:date>2024-05-01T12:00:30Z</dc:date></item>
        </rdf:RDF>
        """.formatted(a.toUri(), b.toUri()));
    Mount m = mount(rss);
    // 35.5 s after T0: item 1 started 5.5 s ago; frame 210 covers 5.486..5.512 s
    PlaylistSource p = new PlaylistSource(m, rss, PlaylistFiles.load(rss),
        clockAt(T0.plusMillis(35_500)), nanos::get);

    p.tick();
    nanos.addAndGet(5_000_000_000L); // the mount cuts chunks of 8 KiB: let more than one arrive
    p.tick();

    StringBuilder title = new StringBuilder();
    byte[] held = held(m, title);
    assertThat(title.toString()).isEqualTo("Floe Demo - Little Bells");
    byte[] expected = fromFrame(b, (int) (5_500_000_000L / FRAME));
    assertThat(held).isNotEmpty();
    assertThat(held).isEqualTo(Arrays.copyOf(expected, held.length));
    p.close();
  }

  @Test
  void shouldWaitForTheFirstStartThenPlayTheItemFromItsBeginning(@TempDir Path dir)
      throws Exception {
    Path a = FrameReaderTest.demo("03-drone.mp3");
    Path rss = Files.writeString(dir.resolve("sched.rdf"), """
        <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
            xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
          <item rdf:about="%s"><title>Drone</title><dc:date>2024-05-01T12:00:00Z</dc:date></item>
        </rdf:RDF>
        """.formatted(a.toUri()));
    Mount m = mount(rss);
    PlaylistSource p = new PlaylistSource(m, rss, PlaylistFiles.load(rss),
        clockAt(T0.minusSeconds(60)), nanos::get);

    p.tick();
    nanos.addAndGet(50_000_000_000L); // still 10 s minus the lead (8 KiB at 32 kbit/s) early
    p.tick();
    assertThat(m.buffer() == null || m.buffer().newest() == m.buffer().oldest()).isTrue();

    nanos.addAndGet(10_000_000_000L); // T0
    p.tick();
    nanos.addAndGet(5_000_000_000L);
    p.tick();
    nanos.addAndGet(5_000_000_000L); // the mount cuts chunks of 8 KiB: let more than one arrive
    p.tick();

    StringBuilder title = new StringBuilder();
    byte[] held = held(m, title);
    assertThat(title.toString()).isEqualTo("Floe Demo - Evening Drone");
    assertThat(held).isNotEmpty();
    assertThat(held).isEqualTo(Arrays.copyOf(fromFrame(a, 0), held.length));
    p.close();
  }
}
