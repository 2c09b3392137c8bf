package dev.floe.proxy.playlist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlaylistFilesTest {
  private static final Path BASE = Path.of("/music");

  @Test
  void shouldReadExtendedM3uWithTitlesCommentsAndRelativePaths() {
    String text = "\uFEFF#EXTM3U\r\n#EXTINF:15,Floe Demo - Rising\r\na.mp3\n\n# note\n"
        + "http://files.example/b.mp3\r/abs/c.ogg\n";

    assertThat(PlaylistFiles.m3u(text, BASE)).containsExactly(
        new Entry("/music/a.mp3", "Floe Demo - Rising", null),
        new Entry("http://files.example/b.mp3", null, null),
        new Entry("/abs/c.ogg", null, null));
  }

  @Test
  void shouldReadPlsInNumberOrder() {
    String text = "[playlist]\nFile2=two.mp3\nTitle2=Two\nFile1=https://x.example/one.mp3\n"
        + "NumberOfEntries=2\nVersion=2\n";

    assertThat(PlaylistFiles.pls(text, BASE)).containsExactly(
        new Entry("https://x.example/one.mp3", null, null),
        new Entry("/music/two.mp3", "Two", null));
  }

  @Test
  void shouldReadRss10ItemsWithScheduledStarts() {
    String text = """
        <?xml version="1.0"?>
        <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
            xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
          <channel rdf:about="http://radio.example/"><title>Station</title></channel>
          <item rdf:about="http://radio.example/news.mp3">
            <title>News</title><dc:date>2024-05-01T12:00:00Z</dc:date>
          </item>
          <item rdf:about="ignored"><link>show.mp3</link><dc:date>2024-05-01T14:30:00+02:00</dc:date></item>
          <item rdf:about="http://radio.example/filler.mp3"><dc:date>soon</dc:date></item>
        </rdf:RDF>
        """;

    assertThat(PlaylistFiles.rss(text, BASE)).containsExactly(
        new Entry("http://radio.example/news.mp3", "News", Instant.parse("2024-05-01T12:00:00Z")),
        new Entry("/music/show.mp3", null, Instant.parse("2024-05-01T12:30:00Z")),
        new Entry("http://radio.example/filler.mp3", null, null));
  }

  @Test
  void shouldRefuseRssWithADoctype() {
    String text = "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><rdf:RDF/>";

    assertThatThrownBy(() -> PlaylistFiles.rss(text, BASE))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldListAFoldersAudioFilesByName(@TempDir Path dir) throws IOException {
    Files.write(dir.resolve("b.ogg"), new byte[1]);
    Files.write(dir.resolve("a.MP3"), new byte[1]);
    Files.write(dir.resolve("cover.jpg"), new byte[1]);

    assertThat(PlaylistFiles.load(dir)).extracting(Entry::location)
        .containsExactly(dir.resolve("a.MP3").toString(), dir.resolve("b.ogg").toString());
  }

  @Test
  void shouldNameTheProblemOfAnEmptyOrMissingList(@TempDir Path dir) throws IOException {
    Path empty = Files.writeString(dir.resolve("x.m3u"), "#EXTM3U\n");

    assertThat(PlaylistFiles.problem(empty)).isEqualTo("no playable entries in " + empty);
    assertThat(PlaylistFiles.problem(dir.resolve("none.pls"))).startsWith("cannot read ");
  }
}
