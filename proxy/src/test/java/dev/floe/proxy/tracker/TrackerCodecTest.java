package dev.floe.proxy.tracker;

import static dev.floe.proxy.tracker.SwarmsTest.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrackerCodecTest {
  private final TrackerCodec codec = new TrackerCodec(TrackerLimits.DEFAULTS);

  /** A string as JSON.stringify writes it: control characters escaped, the rest as is. */
  private static String js(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c < 0x20 || c == '"' || c == '\\') {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }

  @Test
  void readsTheWebTorrentClientsAnnounceWithOffers() throws Exception {
    String hash = "\u0000\u0001\u00ff" + id('h', 1).substring(3);
    String text = "{\"numwant\":5,\"uploaded\":0,\"downloaded\":0,\"event\":\"started\","
        + "\"action\":\"announce\",\"info_hash\":" + js(hash) + ",\"peer_id\":"
        + js(id('p', 1)) + ",\"offers\":[{\"offer\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"},"
        + "\"offer_id\":" + js(id('o', 1)) + "}]}";
    TrackerRequest.Announce a = (TrackerRequest.Announce) codec.read(text);
    assertThat(a.infoHash()).isEqualTo(hash);
    assertThat(a.peerId()).isEqualTo(id('p', 1));
    assertThat(a.event()).isEqualTo(TrackerRequest.Event.STARTED);
    assertThat(a.offers()).containsExactly(new TrackerRequest.Offer(id('o', 1),
        "{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"}"));
    assertThat(a.answer()).isNull();
  }

  @Test
  void writesWhatItReadsBackUnchanged() throws Exception {
    String hash = "\u0000\u0001\u00ff" + id('h', 1).substring(3);
    String relayed = TrackerCodec.write(new TrackerReply.RelayedAnswer(1, hash, id('p', 2),
        id('o', 1), "{\"type\":\"answer\",\"sdp\":\"v=0\"}"));
    // A client reading it back as the tracker would read a message: same ids, same answer.
    TrackerRequest.Announce back = (TrackerRequest.Announce) codec.read(
        relayed.replace("{\"action\"", "{\"to_peer_id\":" + js(id('x', 1)) + ",\"action\""));
    assertThat(back.infoHash()).isEqualTo(hash);
    assertThat(back.peerId()).isEqualTo(id('p', 2));
    assertThat(back.offerId()).isEqualTo(id('o', 1));
    assertThat(back.answer()).isEqualTo("{\"type\":\"answer\",\"sdp\":\"v=0\"}");
    assertThat(TrackerCodec.write(new TrackerReply.Announced(1, "abcdefghijklmnopqrst", 1, 2,
        120))).isEqualTo("{\"action\":\"announce\",\"info_hash\":\"abcdefghijklmnopqrst\","
            + "\"complete\":1,\"incomplete\":2,\"interval\":120}");
  }

  @Test
  void badMessagesAreNamed() {
    String hash = js(id('h', 1));
    String peer = js(id('p', 1));
    Map<String, String> cases = Map.ofEntries(
        Map.entry("not json", "bad request: not valid JSON"),
        Map.entry("[1,2]", "bad request: the message is not a JSON object"),
        Map.entry("{\"action\":\"announce\"} {}", "bad request: trailing data"),
        Map.entry("{\"action\":\"announce\",\"peer_id\":" + peer + "}",
            "invalid info_hash: missing"),
        Map.entry("{\"action\":\"announce\",\"info_hash\":\"short\"}",
            "invalid info_hash: must be 20 bytes"),
        Map.entry("{\"action\":\"announce\",\"info_hash\":\"\u0100" + id('h', 1).substring(1)
            + "\"}", "invalid info_hash: must be 20 bytes"),
        Map.entry("{\"action\":\"announce\",\"info_hash\":" + hash + "}",
            "invalid peer_id: missing"),
        Map.entry("{\"action\":\"connect\"}", "bad request: unknown action"),
        Map.entry("{}", "bad request: no action"),
        Map.entry("{\"action\":\"announce\",\"info_hash\":" + hash + ",\"peer_id\":" + peer
            + ",\"answer\":{}}", "bad request: an answer needs to_peer_id and offer_id"),
        Map.entry("{\"action\":\"announce\",\"info_hash\":" + hash + ",\"peer_id\":" + peer
            + ",\"event\":\"paused\"}", "bad request: unknown event"),
        Map.entry("{\"action\":\"announce\",\"offers\":[{\"offer\":{}}]}",
            "bad request: an offer needs offer and offer_id"),
        Map.entry("{\"action\":\"announce\",\"answer\":" + "{\"a\":".repeat(40) + "1"
            + "}".repeat(40) + "}", "bad request: not valid JSON"));
    cases.forEach((text, reason) -> assertThatThrownBy(() -> codec.read(text)).as(text)
        .isInstanceOf(TrackerException.class).hasMessageStartingWith(reason));
  }

  @Test
  void aRefusalCarriesTheInfoHashSoTheClientReadsIt() {
    String text = "{\"action\":\"announce\",\"info_hash\":" + js(id('h', 1))
        + ",\"peer_id\":\"short\"}";
    assertThatThrownBy(() -> codec.read(text)).isInstanceOfSatisfying(TrackerException.class,
        e -> {
          assertThat(e.action()).isEqualTo("announce");
          assertThat(e.infoHash()).isEqualTo(id('h', 1));
          assertThat(TrackerCodec.write(new TrackerReply.Failure(1, e.action(), e.infoHash(),
              e.getMessage()))).startsWith("{\"action\":\"announce\",\"info_hash\":")
              .endsWith("\"failure reason\":\"invalid peer_id: must be 20 bytes\"}");
        });
  }

  @Test
  void offersPastTheLimitAreDroppedAndScrapesRead() throws Exception {
    StringBuilder offers = new StringBuilder();
    for (int i = 0; i < 15; i++) {
      offers.append(i == 0 ? "" : ",").append("{\"offer\":{},\"offer_id\":")
          .append(js(id('o', i))).append('}');
    }
    TrackerRequest.Announce a = (TrackerRequest.Announce) codec.read(
        "{\"action\":\"announce\",\"info_hash\":" + js(id('h', 1)) + ",\"peer_id\":"
            + js(id('p', 1)) + ",\"offers\":[" + offers + "]}");
    assertThat(a.offers()).hasSize(TrackerLimits.DEFAULTS.maxOffers());
    assertThat(codec.read("{\"action\":\"scrape\",\"info_hash\":[" + js(id('h', 1)) + ","
        + js(id('h', 2)) + "]}")).isEqualTo(new TrackerRequest.Scrape(
            List.of(id('h', 1), id('h', 2))));
  }
}
