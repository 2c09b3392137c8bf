package dev.floe.icy.head;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real-world heads, each decoded whole, split in two at every byte position, and byte by byte: the
 * same head every time, and every body byte left for the caller.
 */
class HeadDecoderFixturesTest {
  /** Audio-like bytes right after the head, with no Content-Length: must stay with the caller. */
  static final byte[] BODY = {(byte) 0xFF, (byte) 0xFB, (byte) 0x90, 0x64, 0x00, '\r', '\n', '\n', 'x'};

  record Fixture(String name, String raw, Object expected) {
    @Override
    public String toString() {
      return name;
    }

    byte[] bytes() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] head = raw.getBytes(StandardCharsets.ISO_8859_1);
      out.write(head, 0, head.length);
      out.write(BODY, 0, BODY.length);
      return out.toByteArray();
    }

    Supplier<HeadDecoder<?>> decoder() {
      return expected instanceof RequestHead
          ? () -> new RequestHeadDecoder(HeadLimits.DEFAULT)
          : () -> new ResponseHeadDecoder(HeadLimits.DEFAULT);
    }
  }

  static Headers h(String... nv) {
    Headers.Builder b = Headers.builder();
    for (int i = 0; i < nv.length; i += 2) {
      b.add(nv[i], nv[i + 1]);
    }
    return b.build();
  }

  static Stream<Fixture> fixtures() {
    return Stream.of(
        new Fixture(
            "ffmpeg PUT with Expect: 100-continue",
            "PUT /live.mp3 HTTP/1.1\r\n"
                + "User-Agent: Lavf/60.16.100\r\n"
                + "Accept: */*\r\n"
                + "Expect: 100-continue\r\n"
                + "Connection: close\r\n"
                + "Host: 127.0.0.1:8000\r\n"
                + "Icy-MetaData: 1\r\n"
                + "Authorization: Basic c291cmNlOmhhY2ttZQ==\r\n"
                + "Ice-Public: 0\r\n"
                + "Ice-Name: Test Stream\r\n"
                + "Content-Type: audio/mpeg\r\n"
                + "\r\n",
            new RequestHead(
                "PUT",
                "/live.mp3",
                "HTTP/1.1",
                h(
                    "User-Agent", "Lavf/60.16.100",
                    "Accept", "*/*",
                    "Expect", "100-continue",
                    "Connection", "close",
                    "Host", "127.0.0.1:8000",
                    "Icy-MetaData", "1",
                    "Authorization", "Basic c291cmNlOmhhY2ttZQ==",
                    "Ice-Public", "0",
                    "Ice-Name", "Test Stream",
                    "Content-Type", "audio/mpeg"))),
        new Fixture(
            "libshout SOURCE ICE/1.0 with bare LF",
            "SOURCE /m ICE/1.0\n"
                + "ice-password: hackme\n"
                + "ice-name: Night Jazz\n"
                + "ice-url: http://example.org\n"
                + "ice-genre: Jazz\n"
                + "ice-bitrate: 128\n"
                + "ice-public: 0\n"
                + "ice-description:\n"
                + "content-type: audio/mpeg\n"
                + "\n",
            new RequestHead(
                "SOURCE",
                "/m",
                "ICE/1.0",
                h(
                    "ice-password", "hackme",
                    "ice-name", "Night Jazz",
                    "ice-url", "http://example.org",
                    "ice-genre", "Jazz",
                    "ice-bitrate", "128",
                    "ice-public", "0",
                    "ice-description", "",
                    "content-type", "audio/mpeg"))),
        new Fixture(
            "libshout SOURCE HTTP/1.0",
            "SOURCE /m HTTP/1.0\r\n"
                + "Authorization: Basic c291cmNlOmhhY2ttZQ==\r\n"
                + "Host: icecast.example.org:8000\r\n"
                + "User-Agent: libshout/2.4.1\r\n"
                + "Content-Type: audio/ogg\r\n"
                + "ice-name: Caf\u00c3\u00a9 FM\r\n"
                + "ice-public: 1\r\n"
                + "ice-audio-info: bitrate=128;channels=2;samplerate=44100\r\n"
                + "\r\n",
            new RequestHead(
                "SOURCE",
                "/m",
                "HTTP/1.0",
                h(
                    "Authorization", "Basic c291cmNlOmhhY2ttZQ==",
                    "Host", "icecast.example.org:8000",
                    "User-Agent", "libshout/2.4.1",
                    "Content-Type", "audio/ogg",
                    "ice-name", "Caf\u00c3\u00a9 FM",
                    "ice-public", "1",
                    "ice-audio-info", "bitrate=128;channels=2;samplerate=44100"))),
        new Fixture(
            "VLC GET with Icy-MetaData and Host without port",
            "GET /stream HTTP/1.1\r\n"
                + "Host: radio.example.org\r\n"
                + "Accept: */*\r\n"
                + "Accept-Language: en_US\r\n"
                + "User-Agent: VLC/3.0.18 LibVLC/3.0.18\r\n"
                + "Range: bytes=0-\r\n"
                + "Icy-MetaData: 1\r\n"
                + "\r\n",
            new RequestHead(
                "GET",
                "/stream",
                "HTTP/1.1",
                h(
                    "Host", "radio.example.org",
                    "Accept", "*/*",
                    "Accept-Language", "en_US",
                    "User-Agent", "VLC/3.0.18 LibVLC/3.0.18",
                    "Range", "bytes=0-",
                    "Icy-MetaData", "1"))),
        new Fixture(
            "foobar2000 GET with Icy-MetaData:1 (no space)",
            "GET /stream.mp3?type=.mp3 HTTP/1.0\r\n"
                + "User-Agent: foobar2000/1.6.16\r\n"
                + "Host: radio.example.org\r\n"
                + "Accept: */*\r\n"
                + "Icy-MetaData:1\r\n"
                + "Connection: close\r\n"
                + "\r\n",
            new RequestHead(
                "GET",
                "/stream.mp3?type=.mp3",
                "HTTP/1.0",
                h(
                    "User-Agent", "foobar2000/1.6.16",
                    "Host", "radio.example.org",
                    "Accept", "*/*",
                    "Icy-MetaData", "1",
                    "Connection", "close"))),
        new Fixture(
            "iOS AppleCoreMedia Range: bytes=0-1",
            "GET /live.aac HTTP/1.1\r\n"
                + "Host: radio.example.org:8000\r\n"
                + "X-Playback-Session-Id: 5E1A9C7B-3C2D-4F0E-9A61-2B7C1D0E4F35\r\n"
                + "Range: bytes=0-1\r\n"
                + "Accept: */*\r\n"
                + "User-Agent: AppleCoreMedia/1.0.0.21A329 (iPhone; U; CPU OS 17_0 like Mac OS X; en_us)\r\n"
                + "Accept-Language: en-US,en;q=0.9\r\n"
                + "Accept-Encoding: identity\r\n"
                + "Connection: keep-alive\r\n"
                + "\r\n",
            new RequestHead(
                "GET",
                "/live.aac",
                "HTTP/1.1",
                h(
                    "Host", "radio.example.org:8000",
                    "X-Playback-Session-Id", "5E1A9C7B-3C2D-4F0E-9A61-2B7C1D0E4F35",
                    "Range", "bytes=0-1",
                    "Accept", "*/*",
                    "User-Agent",
                        "AppleCoreMedia/1.0.0.21A329 (iPhone; U; CPU OS 17_0 like Mac OS X; en_us)",
                    "Accept-Language", "en-US,en;q=0.9",
                    "Accept-Encoding", "identity",
                    "Connection", "keep-alive"))),
        new Fixture(
            "Winamp GET with Ultravox-transport-type",
            "GET /;stream.nsv HTTP/1.0\r\n"
                + "Host: radio.example.org:8000\r\n"
                + "User-Agent: WinampMPEG/5.66, Ultravox/2.1\r\n"
                + "Ultravox-transport-type: TCP\r\n"
                + "Accept: */*\r\n"
                + "Icy-MetaData:1\r\n"
                + "Connection: close\r\n"
                + "\r\n",
            new RequestHead(
                "GET",
                "/;stream.nsv",
                "HTTP/1.0",
                h(
                    "Host", "radio.example.org:8000",
                    "User-Agent", "WinampMPEG/5.66, Ultravox/2.1",
                    "Ultravox-transport-type", "TCP",
                    "Accept", "*/*",
                    "Icy-MetaData", "1",
                    "Connection", "close"))),
        new Fixture(
            "SHOUTcast ICY 200 OK with icy-* lines without space",
            "ICY 200 OK\r\n"
                + "icy-notice1:<BR>This stream requires <a href=\"http://www.winamp.com/\">Winamp</a><BR>\r\n"
                + "icy-notice2:SHOUTcast Distributed Network Audio Server/Linux v1.9.8<BR>\r\n"
                + "icy-name:Example Radio\r\n"
                + "icy-genre:Rock\r\n"
                + "icy-url:http://www.example.com\r\n"
                + "content-type:audio/mpeg\r\n"
                + "icy-pub:1\r\n"
                + "icy-metaint:16000\r\n"
                + "icy-br:128\r\n"
                + "\r\n",
            new ResponseHead(
                "ICY",
                200,
                "OK",
                h(
                    "icy-notice1",
                        "<BR>This stream requires <a href=\"http://www.winamp.com/\">Winamp</a><BR>",
                    "icy-notice2", "SHOUTcast Distributed Network Audio Server/Linux v1.9.8<BR>",
                    "icy-name", "Example Radio",
                    "icy-genre", "Rock",
                    "icy-url", "http://www.example.com",
                    "content-type", "audio/mpeg",
                    "icy-pub", "1",
                    "icy-metaint", "16000",
                    "icy-br", "128"))),
        new Fixture(
            "Icecast 2.4 HTTP/1.0 200 OK",
            "HTTP/1.0 200 OK\r\n"
                + "Content-Type: audio/mpeg\r\n"
                + "icy-br:128\r\n"
                + "ice-audio-info: bitrate=128\r\n"
                + "icy-description:Late night\r\n"
                + "icy-genre:Jazz\r\n"
                + "icy-name:Night Jazz\r\n"
                + "icy-pub:0\r\n"
                + "Server: Icecast 2.4.4\r\n"
                + "Cache-Control: no-cache, no-store\r\n"
                + "Access-Control-Allow-Origin: *\r\n"
                + "Access-Control-Allow-Headers: Origin, Accept, X-Requested-With, Content-Type\r\n"
                + "Access-Control-Allow-Methods: GET, OPTIONS, HEAD\r\n"
                + "Connection: Close\r\n"
                + "Expires: Mon, 26 Jul 1997 05:00:00 GMT\r\n"
                + "icy-metaint:16000\r\n"
                + "\r\n",
            new ResponseHead(
                "HTTP/1.0",
                200,
                "OK",
                h(
                    "Content-Type", "audio/mpeg",
                    "icy-br", "128",
                    "ice-audio-info", "bitrate=128",
                    "icy-description", "Late night",
                    "icy-genre", "Jazz",
                    "icy-name", "Night Jazz",
                    "icy-pub", "0",
                    "Server", "Icecast 2.4.4",
                    "Cache-Control", "no-cache, no-store",
                    "Access-Control-Allow-Origin", "*",
                    "Access-Control-Allow-Headers",
                        "Origin, Accept, X-Requested-With, Content-Type",
                    "Access-Control-Allow-Methods", "GET, OPTIONS, HEAD",
                    "Connection", "Close",
                    "Expires", "Mon, 26 Jul 1997 05:00:00 GMT",
                    "icy-metaint", "16000"))),
        new Fixture(
            "blank lines before the start line, OPTIONS, obs-fold, padded values",
            "\r\n\nOPTIONS * HTTP/1.1\r\n"
                + "Host: [::1]:8000\r\n"
                + "X-Long: first\r\n"
                + " \t second  \r\n"
                + "\tthird\r\n"
                + "X-Pad:   \t padded value \t \r\n"
                + "X-Empty:\r\n"
                + "\r\n",
            new RequestHead(
                "OPTIONS",
                "*",
                "HTTP/1.1",
                h(
                    "Host", "[::1]:8000",
                    "X-Long", "first second third",
                    "X-Pad", "padded value",
                    "X-Empty", ""))),
        new Fixture(
            "response with empty reason and no headers",
            "HTTP/1.1 204 \r\n\r\n",
            new ResponseHead("HTTP/1.1", 204, "", Headers.EMPTY)),
        new Fixture(
            "response with absent reason",
            "HTTP/1.0 404\nServer: x\n\n",
            new ResponseHead("HTTP/1.0", 404, "", h("Server", "x"))),
        new Fixture(
            "SHOUTcast error with a reason of several words",
            "ICY 401 Service Unavailable\r\n\r\n",
            new ResponseHead("ICY", 401, "Service Unavailable", Headers.EMPTY)));
  }

  /** Feeds chunks in order; returns the head and every byte left after it. */
  static Object[] feed(HeadDecoder<?> decoder, List<byte[]> chunks) throws HeadException {
    Object head = null;
    ByteArrayOutputStream rest = new ByteArrayOutputStream();
    for (byte[] chunk : chunks) {
      ByteBuffer in = ByteBuffer.wrap(chunk);
      if (head == null) {
        head = decoder.decode(in);
        if (head == null) {
          assertThat(in.hasRemaining()).as("an incomplete head consumes all").isFalse();
        }
      }
      while (in.hasRemaining()) {
        rest.write(in.get());
      }
    }
    return new Object[] {head, rest.toByteArray()};
  }

  static void check(Fixture f, HeadDecoder<?> decoder, List<byte[]> chunks) throws HeadException {
    Object[] r = feed(decoder, chunks);
    assertThat(r[0]).isEqualTo(f.expected());
    assertThat((byte[]) r[1]).isEqualTo(BODY);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void whole(Fixture f) throws HeadException {
    byte[] all = f.bytes();
    ByteBuffer in = ByteBuffer.wrap(all);
    Object head = f.decoder().get().decode(in);
    assertThat(head).isEqualTo(f.expected());
    assertThat(in.position()).isEqualTo(all.length - BODY.length);
    assertThat(in.remaining()).isEqualTo(BODY.length);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void splitInTwoAtEveryPosition(Fixture f) throws HeadException {
    byte[] all = f.bytes();
    HeadDecoder<?> decoder = f.decoder().get();
    for (int cut = 0; cut <= all.length; cut++) {
      decoder.reset();
      byte[] a = java.util.Arrays.copyOfRange(all, 0, cut);
      byte[] b = java.util.Arrays.copyOfRange(all, cut, all.length);
      check(f, decoder, List.of(a, b));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void byteByByte(Fixture f) throws HeadException {
    byte[] all = f.bytes();
    List<byte[]> chunks = new ArrayList<>();
    for (byte b : all) {
      chunks.add(new byte[] {b});
    }
    check(f, f.decoder().get(), chunks);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void directBufferWithOffset(Fixture f) throws HeadException {
    byte[] all = f.bytes();
    ByteBuffer in = ByteBuffer.allocateDirect(all.length + 10);
    in.position(5);
    in.put(all);
    in.flip();
    in.position(5);
    Object head = f.decoder().get().decode(in);
    assertThat(head).isEqualTo(f.expected());
    assertThat(in.remaining()).isEqualTo(BODY.length);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void encodeThenDecodeGivesTheSameHead(Fixture f) throws HeadException {
    byte[] encoded =
        f.expected() instanceof RequestHead r ? HeadEncoder.encode(r) : HeadEncoder.encode((ResponseHead) f.expected());
    ByteBuffer in = ByteBuffer.wrap(encoded);
    Object again = f.decoder().get().decode(in);
    if (again instanceof ResponseHead rh && ((ResponseHead) f.expected()).reason().isEmpty()) {
      // The encoder fills an empty reason with the standard phrase.
      assertThat(rh.reason()).isEqualTo(HeadEncoder.reasonPhrase(rh.status()));
      assertThat(new ResponseHead(rh.version(), rh.status(), "", rh.headers())).isEqualTo(f.expected());
    } else {
      assertThat(again).isEqualTo(f.expected());
    }
    assertThat(in.hasRemaining()).isFalse();
  }
}
