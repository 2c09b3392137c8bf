package dev.floe.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.proxy.upstream.StreamPlaylist.Kind;
import dev.floe.proxy.upstream.StreamPlaylist.Verdict;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Playlists of streams, audio and not-audio answers, judged from every prefix of the body. */
class StreamPlaylistTest {
  private static final URI BASE = URI.create("http://radio.example/listen/stream.pls");

  private static Verdict whole(String type, String body) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    return StreamPlaylist.inspect(type, b, b.length, true, BASE);
  }

  /** Judges every prefix as incomplete, then the whole body as complete. */
  private static Verdict everyPrefix(String type, byte[] b, Kind whileIncomplete) {
    for (int n = 0; n < b.length; n++) {
      byte[] prefix = Arrays.copyOf(b, b.length + 10); // spare room, as the reader keeps
      Verdict v = StreamPlaylist.inspect(type, prefix, n, false, BASE);
      if (whileIncomplete == Kind.MORE || n >= StreamPlaylist.SNIFF_BYTES) {
        assertThat(v.kind()).as("prefix of %d bytes", n).isEqualTo(whileIncomplete);
      } else {
        assertThat(v.kind()).as("prefix of %d bytes", n).isIn(Kind.MORE, whileIncomplete);
      }
    }
    return StreamPlaylist.inspect(type, b, b.length, true, BASE);
  }

  @Test
  void plsIsReadWhenCompleteWithItsStreamsInOrder() {
    String pls = "[playlist]\r\nNumberOfEntries=2\r\nFile2=http://b.example:8000/live\r\n"
        + "Title1=Radio\r\nFile1=http://a.example:8000/live\r\nLength1=-1\r\nVersion=2\r\n";
    Verdict v = everyPrefix("audio/x-scpls", pls.getBytes(StandardCharsets.UTF_8), Kind.MORE);
    assertThat(v.kind()).isEqualTo(Kind.PLAYLIST);
    assertThat(v.streams()).containsExactly(URI.create("http://a.example:8000/live"),
        URI.create("http://b.example:8000/live"));
  }

  @Test
  void m3uServedAsTextWithBomAndRelativeEntries() {
    String m3u = "\uFEFF#EXTM3U\n#EXTINF:-1,Radio\nhttp://a.example/live\n\nmirror/live\n"
        + "http://a.example/live\n";
    Verdict v = everyPrefix("text/plain", m3u.getBytes(StandardCharsets.UTF_8), Kind.MORE);
    assertThat(v.kind()).isEqualTo(Kind.PLAYLIST);
    assertThat(v.streams()).containsExactly(URI.create("http://a.example/live"),
        URI.create("http://radio.example/listen/mirror/live"));
  }

  @Test
  void bareUrlListWithNoTypeIsAnM3u() {
    Verdict v = whole(null, "http://a.example:8000/live\n");
    assertThat(v.streams()).containsExactly(URI.create("http://a.example:8000/live"));
  }

  @Test
  void icecastsOwnM3uAndXspf() {
    assertThat(whole("audio/x-mpegurl", "http://127.0.0.1:8000/live\n").streams())
        .containsExactly(URI.create("http://127.0.0.1:8000/live"));
    String xspf = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<playlist xmlns=\"http://xspf.org/ns/0/\" version=\"1\">\n<title/>\n<creator/>\n"
        + "<trackList>\n<track>\n<location>http://127.0.0.1:8000/live?a=1&amp;b=2</location>\n"
        + "<title>x</title></track>\n</trackList>\n</playlist>\n";
    Verdict v = everyPrefix("application/xspf+xml", xspf.getBytes(StandardCharsets.UTF_8),
        Kind.MORE);
    assertThat(v.streams()).containsExactly(URI.create("http://127.0.0.1:8000/live?a=1&b=2"));
  }

  @Test
  void asxInCapitalsAsWindowsMediaWroteIt() {
    String asx = "<ASX version=\"3.0\">\r\n<TITLE>Radio</TITLE>\r\n<ENTRY>\r\n"
        + "<REF HREF=\"http://a.example:8000/live\" />\r\n</ENTRY>\r\n<Entry><ref href='"
        + "https://b.example/live'/></Entry></ASX>";
    Verdict v = everyPrefix("video/x-ms-asf", asx.getBytes(StandardCharsets.UTF_8), Kind.MORE);
    assertThat(v.streams()).containsExactly(URI.create("http://a.example:8000/live"),
        URI.create("https://b.example/live"));
  }

  @Test
  void hlsIsRefusedSayingSo() {
    String hls = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nseg1.ts\n";
    Verdict v = whole("application/vnd.apple.mpegurl", hls);
    assertThat(v.kind()).isEqualTo(Kind.REFUSED);
    assertThat(v.reason()).contains("HLS");
    assertThat(whole("audio/x-mpegurl", "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nlo.m3u8\n")
        .reason()).contains("HLS");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "text/html; charset=utf-8|<!DOCTYPE html><html><head><title>Error</title></head><body>"
          + "Station offline, sorry for the inconvenience</body></html>|an HTML page",
      "audio/x-scpls|<html><body>Not here, this is a long enough error page body.</body></html>"
          + "|an HTML page",
      "application/json|{\"error\": \"mount not found\", \"code\": 404, \"more\": \"padding\"}|JSON",
      "text/plain|Service temporarily unavailable. Please come back later, thank you.|text",
      "|<?xml version=\"1.0\"?><icestats><source mount=\"/x\"></source></icestats>|XML"})
  void notAudioIsRefusedFromItsFirstBytes(String type, String body, String what) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    Verdict v = everyPrefix(type, b, Kind.REFUSED);
    assertThat(v.kind()).isEqualTo(Kind.REFUSED);
    assertThat(v.reason()).contains(what).contains("not audio");
  }

  @Test
  void shortNotAudioBodyIsRefusedWhenItEnds() {
    Verdict v = whole("text/html", "<p>gone</p>");
    assertThat(v.kind()).isEqualTo(Kind.REFUSED);
    assertThat(whole("text/html", "").reason()).contains("an empty body");
  }

  @Test
  void audioIsRecognisedFromItsFirstFourBytes() {
    byte[][] bodies = {
        {'I', 'D', '3', 4, 0, 0, 0, 0, 0, 0},
        {(byte) 0xFF, (byte) 0xFB, (byte) 0x90, 0x64, 0, 0},
        {'O', 'g', 'g', 'S', 0, 2, 0, 0},
        {(byte) 0xFF, (byte) 0xF1, 0x50, (byte) 0x80}};
    for (byte[] b : bodies) {
      for (String type : new String[] {null, "application/octet-stream", "text/plain"}) {
        assertThat(StreamPlaylist.inspect(type, b, 4, false, BASE).kind()).isEqualTo(Kind.AUDIO);
        assertThat(StreamPlaylist.inspect(type, b, 3, false, BASE).kind()).isEqualTo(Kind.MORE);
      }
    }
  }

  @Test
  void audioTypesStreamAtOnceAndBinaryWithoutTypeToo() {
    for (String t : List.of("audio/mpeg", "audio/aacp", "application/ogg", "audio/ogg; x=1")) {
      assertThat(StreamPlaylist.audioType(t)).as(t).isTrue();
      assertThat(StreamPlaylist.inspect(t, new byte[0], 0, false, BASE).kind())
          .isEqualTo(Kind.AUDIO);
    }
    for (String t : List.of("audio/x-scpls", "audio/x-mpegurl", "text/html", "")) {
      assertThat(StreamPlaylist.audioType(t)).as(t).isFalse();
    }
    byte[] noise = new byte[200];
    for (int i = 0; i < noise.length; i++) {
      noise[i] = (byte) (i * 37 + 11);
    }
    assertThat(StreamPlaylist.inspect(null, noise, noise.length, false, BASE).kind())
        .isEqualTo(Kind.AUDIO);
    assertThat(StreamPlaylist.inspect("text/html", noise, noise.length, false, BASE).kind())
        .isEqualTo(Kind.REFUSED);
  }

  @Test
  void asfMediaUnderTheAsxTypeIsRefusedByName() {
    byte[] asf = {0x30, 0x26, (byte) 0xB2, 0x75, (byte) 0x8E, 0x66, (byte) 0xCF, 0x11,
        (byte) 0xA6, (byte) 0xD9, 0, (byte) 0xAA, 0, 0x62, (byte) 0xCE, 0x6C};
    Verdict v = StreamPlaylist.inspect("video/x-ms-asf", asf, asf.length, false, BASE);
    assertThat(v.kind()).isEqualTo(Kind.REFUSED);
    assertThat(v.reason()).contains("ASF");
  }

  @Test
  void playlistsWithoutStreamsOrTooLongAreRefused() {
    assertThat(whole("audio/x-scpls", "[playlist]\nNumberOfEntries=0\n").reason())
        .contains("no http(s) stream");
    assertThat(whole("audio/x-mpegurl", "#EXTM3U\nfile:///etc/passwd\nftp://x/y\n").reason())
        .contains("no http(s) stream");
    byte[] big = ("[playlist]\n" + "x".repeat(StreamPlaylist.MAX_BYTES))
        .getBytes(StandardCharsets.UTF_8);
    assertThat(StreamPlaylist.inspect("audio/x-scpls", big, StreamPlaylist.MAX_BYTES, true, BASE)
        .reason()).contains("longer than");
  }

  @Test
  void atMostSixteenStreamsAreTaken() {
    StringBuilder m3u = new StringBuilder("#EXTM3U\n");
    for (int i = 0; i < 40; i++) {
      m3u.append("http://s").append(i).append(".example/live\n");
    }
    assertThat(whole("audio/x-mpegurl", m3u.toString()).streams())
        .hasSize(StreamPlaylist.MAX_STREAMS);
  }
}
