package dev.floe.proxy.it.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.proxy.it.support.FloeServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Floe's WebTorrent tracker on {@code GET /announce}, driven by the JDK's WebSocket client as two
 * browsers would: announce, an offer relayed from one to the other, its answer relayed back,
 * the peer count after one leaves; and bad input answered with a failure reason.
 */
class TrackerWebSocketTest {
  /** Ids as the WebTorrent client sends them: 20 characters, each one byte, some above 0x7F. */
  private static final String HASH = "floe-test-hash-\u00e9\u00ff\u0080\u00a0!";
  private static final String PEER_A = "-PM0203-aaaaaaaaaaa\u00f1";
  private static final String PEER_B = "-PM0203-bbbbbbbbbbb\u00f2";
  private static final String OFFER_ID = "offer-id-\u0001\u00fe-12345678";

  private static FloeServer floe;
  private final List<WebSocket> open = new ArrayList<>();

  @BeforeAll
  static void start() {
    floe = FloeServer.start("");
  }

  @AfterAll
  static void stop() {
    if (floe != null) {
      floe.close();
    }
  }

  @org.junit.jupiter.api.AfterEach
  void closeSockets() {
    for (WebSocket ws : open) {
      ws.abort();
    }
  }

  @Test
  void twoPeersExchangeOfferAndAnswerThroughTheTracker() throws Exception {
    Peer a = connect();
    a.send("{\"action\":\"announce\",\"info_hash\":" + js(HASH) + ",\"peer_id\":" + js(PEER_A)
        + ",\"event\":\"started\",\"numwant\":5,\"offers\":[]}");
    assertThat(a.next()).isEqualTo("{\"action\":\"announce\",\"info_hash\":" + js(HASH)
        + ",\"complete\":0,\"incomplete\":1,\"interval\":120}");

    Peer b = connect();
    b.send("{\"action\":\"announce\",\"info_hash\":" + js(HASH) + ",\"peer_id\":" + js(PEER_B)
        + ",\"event\":\"started\",\"numwant\":1,\"offers\":[{\"offer\":{\"type\":\"offer\","
        + "\"sdp\":\"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\n\"},\"offer_id\":" + js(OFFER_ID)
        + "}]}");
    assertThat(b.next()).contains("\"complete\":0,\"incomplete\":2");
    assertThat(a.next()).isEqualTo("{\"action\":\"announce\",\"info_hash\":" + js(HASH)
        + ",\"peer_id\":" + js(PEER_B) + ",\"offer_id\":" + js(OFFER_ID)
        + ",\"offer\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\n\"}}");

    a.send("{\"action\":\"announce\",\"info_hash\":" + js(HASH) + ",\"peer_id\":" + js(PEER_A)
        + ",\"to_peer_id\":" + js(PEER_B) + ",\"offer_id\":" + js(OFFER_ID)
        + ",\"answer\":{\"type\":\"answer\",\"sdp\":\"v=0\\r\\n\"}}");
    assertThat(b.next()).isEqualTo("{\"action\":\"announce\",\"info_hash\":" + js(HASH)
        + ",\"peer_id\":" + js(PEER_A) + ",\"offer_id\":" + js(OFFER_ID)
        + ",\"answer\":{\"type\":\"answer\",\"sdp\":\"v=0\\r\\n\"}}");

    a.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
    String scrape = "{\"action\":\"scrape\",\"info_hash\":[" + js(HASH) + "]}";
    String alone = "{\"action\":\"scrape\",\"files\":{" + js(HASH)
        + ":{\"complete\":0,\"incomplete\":1,\"downloaded\":0}}}";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    String got;
    do { // the close reaches the tracker a moment after the client sent it
      b.send(scrape);
      got = b.next();
    } while (!got.equals(alone) && System.nanoTime() < deadline);
    assertThat(got).isEqualTo(alone);
  }

  @Test
  void badJsonGetsAFailureReasonAndTheConnectionLives() throws Exception {
    Peer p = connect();
    p.send("{\"action\": announce");
    assertThat(p.next()).startsWith("{\"failure reason\":\"bad request: not valid JSON");
    p.send("{\"action\":\"announce\",\"info_hash\":" + js(HASH) + ",\"peer_id\":\"short\"}");
    assertThat(p.next()).isEqualTo("{\"action\":\"announce\",\"info_hash\":" + js(HASH)
        + ",\"failure reason\":\"invalid peer_id: must be 20 bytes\"}");
    p.send("{\"action\":\"scrape\",\"info_hash\":[" + js(HASH) + "]}");
    assertThat(p.next()).startsWith("{\"action\":\"scrape\"");
  }

  @Test
  void aFloodIsRefusedThenClosed() throws Exception {
    Peer p = connect();
    int sent = 0;
    while (!p.closed.isDone() && sent < 500) {
      try {
        p.ws.sendText("{\"action\":\"scrape\",\"info_hash\":[]}", true)
            .get(5, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        break; // the tracker closed the connection
      }
      sent++;
    }
    // closed with 1008 (policy violation) after the refusals
    assertThat(p.closed).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(1008);
    List<String> got = new ArrayList<>();
    p.messages.drainTo(got);
    assertThat(got).anyMatch(m -> m.contains("rate limited"));
    assertThat(got).filteredOn(m -> m.startsWith("{\"action\":\"scrape\"")).hasSizeBetween(
        20, 40); // the burst of 30 served, a few more as tokens refilled
  }

  @Test
  void aPlainGetIsRefused() {
    var r = floe.get("/announce");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("The tracker speaks WebSocket");
  }

  /** A JSON string as JSON.stringify writes it: controls escaped, other characters as they are. */
  private static String js(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      b.append(c < 0x20 || c == '"' || c == '\\' ? String.format("\\u%04x", (int) c)
          : String.valueOf(c));
    }
    return b.append('"').toString();
  }

  private Peer connect() throws Exception {
    Peer p = new Peer();
    p.ws = HttpClient.newHttpClient().newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(5))
        .buildAsync(URI.create("ws://127.0.0.1:" + floe.port() + "/announce"), p)
        .get(10, TimeUnit.SECONDS);
    open.add(p.ws);
    return p;
  }

  /** One browser's tracker connection: the messages it got, whole. */
  private static final class Peer implements WebSocket.Listener {
    final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final java.util.concurrent.CompletableFuture<Integer> closed =
        new java.util.concurrent.CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    WebSocket ws;

    void send(String text) throws Exception {
      ws.sendText(text, true).get(5, TimeUnit.SECONDS);
    }

    String next() throws InterruptedException {
      String m = messages.poll(10, TimeUnit.SECONDS);
      assertThat(m).as("a message from the tracker within 10 s").isNotNull();
      return m;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        messages.add(partial.toString());
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
      closed.complete(status);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      closed.complete(-1);
    }
  }
}
