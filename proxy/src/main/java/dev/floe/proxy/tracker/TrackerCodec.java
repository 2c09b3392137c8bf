package dev.floe.proxy.tracker;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The WebTorrent tracker protocol's JSON, both ways, as pure functions: {@link #read} checks one
 * client message into a {@link TrackerRequest} (every refusal a {@link TrackerException} naming
 * the field), {@link #write} renders a {@link TrackerReply}. The offer and answer objects (SDP)
 * are kept as raw JSON, re-serialized by the parser, and never interpreted.
 *
 * <p>Parsing is Jackson's streaming parser with its read constraints (nesting, string and number
 * lengths) set small, so no message, however crafted, costs more than its size.
 */
public final class TrackerCodec {
  /** The length of every identifier (info hash, peer id, offer id) in the protocol. */
  static final int ID_LENGTH = 20;

  private static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(16).maxStringLength(64 * 1024).maxNumberLength(32).build())
      .build();

  private final TrackerLimits limits;

  public TrackerCodec(TrackerLimits limits) {
    this.limits = limits;
  }

  /** One client message. */
  public TrackerRequest read(String text) throws TrackerException {
    Fields f = new Fields();
    try (JsonParser p = JSON.createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw refuse("bad request: the message is not a JSON object", f);
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        switch (name) {
          case "action" -> f.action = string(p, t, "action", f);
          case "info_hash" -> {
            if (t == JsonToken.START_ARRAY) {
              f.infoHashes = idArray(p, f);
            } else {
              f.infoHash = id(p, t, "info_hash", f);
            }
          }
          case "peer_id" -> f.peerId = id(p, t, "peer_id", f);
          case "to_peer_id" -> f.toPeerId = id(p, t, "to_peer_id", f);
          case "offer_id" -> f.offerId = id(p, t, "offer_id", f);
          case "event" -> f.event = string(p, t, "event", f);
          case "left" -> f.left = t == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : -1;
          case "offers" -> f.offers = offers(p, t, f);
          case "answer" -> f.answer = object(p, t, "answer", f);
          default -> p.skipChildren(); // numwant, uploaded, downloaded, trackerid...
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
        throw refuse("bad request: trailing data after the JSON object", f);
      }
    } catch (JsonProcessingException e) {
      throw refuse("bad request: not valid JSON (" + e.getOriginalMessage() + ")", f);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a String cannot fail to read
    }
    return f.request();
  }

  /** One reply as the JSON text a WebTorrent client reads. */
  public static String write(TrackerReply reply) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      if (reply instanceof TrackerReply.Announced a) {
        g.writeStringField("action", "announce");
        g.writeStringField("info_hash", a.infoHash());
        g.writeNumberField("complete", a.complete());
        g.writeNumberField("incomplete", a.incomplete());
        g.writeNumberField("interval", a.intervalSeconds());
      } else if (reply instanceof TrackerReply.RelayedOffer o) {
        relayed(g, o.infoHash(), o.fromPeerId(), o.offerId(), "offer", o.offer());
      } else if (reply instanceof TrackerReply.RelayedAnswer a) {
        relayed(g, a.infoHash(), a.fromPeerId(), a.offerId(), "answer", a.answer());
      } else if (reply instanceof TrackerReply.Scraped s) {
        g.writeStringField("action", "scrape");
        g.writeObjectFieldStart("files");
        for (Map.Entry<String, TrackerReply.Counts> e : s.files().entrySet()) {
          g.writeObjectFieldStart(e.getKey());
          g.writeNumberField("complete", e.getValue().complete());
          g.writeNumberField("incomplete", e.getValue().incomplete());
          g.writeNumberField("downloaded", e.getValue().complete());
          g.writeEndObject();
        }
        g.writeEndObject();
      } else if (reply instanceof TrackerReply.Failure f) {
        if (f.action() != null) {
          g.writeStringField("action", f.action());
        }
        if (f.infoHash() != null) {
          g.writeStringField("info_hash", f.infoHash());
        }
        g.writeStringField("failure reason", f.reason());
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter cannot fail
    }
    return out.toString();
  }

  /** An offer or answer from {@code from}, its SDP object as it was received. */
  private static void relayed(JsonGenerator g, String infoHash, String from, String offerId,
      String field, String raw) throws IOException {
    g.writeStringField("action", "announce");
    g.writeStringField("info_hash", infoHash);
    g.writeStringField("peer_id", from);
    g.writeStringField("offer_id", offerId);
    g.writeFieldName(field);
    g.writeRawValue(raw);
  }

  private static String string(JsonParser p, JsonToken t, String name, Fields f)
      throws IOException, TrackerException {
    if (t != JsonToken.VALUE_STRING) {
      throw refuse("bad request: " + name + " must be a string", f);
    }
    return p.getText();
  }

  /** An identifier: exactly 20 characters, each one byte. */
  private static String id(JsonParser p, JsonToken t, String name, Fields f)
      throws IOException, TrackerException {
    String s = string(p, t, name, f);
    if (!isId(s)) {
      throw refuse("invalid " + name + ": must be " + ID_LENGTH + " bytes", f);
    }
    return s;
  }

  static boolean isId(String s) {
    if (s.length() != ID_LENGTH) {
      return false;
    }
    for (int i = 0; i < ID_LENGTH; i++) {
      if (s.charAt(i) > 0xFF) {
        return false;
      }
    }
    return true;
  }

  private List<String> idArray(JsonParser p, Fields f) throws IOException, TrackerException {
    List<String> out = new ArrayList<>();
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (out.size() == limits.maxScrape()) {
        throw refuse("bad request: more than " + limits.maxScrape() + " info hashes", f);
      }
      out.add(id(p, t, "info_hash", f));
    }
    return out;
  }

  private static String object(JsonParser p, JsonToken t, String name, Fields f)
      throws IOException, TrackerException {
    if (t != JsonToken.START_OBJECT) {
      throw refuse("bad request: " + name + " must be an object", f);
    }
    StringWriter raw = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(raw)) {
      g.copyCurrentStructure(p);
    }
    return raw.toString();
  }

  /** The offers, of which only the first {@code maxOffers} are kept. */
  private List<TrackerRequest.Offer> offers(JsonParser p, JsonToken t, Fields f)
      throws IOException, TrackerException {
    if (t != JsonToken.START_ARRAY) {
      throw refuse("bad request: offers must be an array", f);
    }
    List<TrackerRequest.Offer> out = new ArrayList<>();
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.START_OBJECT) {
        throw refuse("bad request: each offer must be an object", f);
      }
      String id = null;
      String offer = null;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        t = p.nextToken();
        switch (name) {
          case "offer_id" -> id = id(p, t, "offer_id", f);
          case "offer" -> offer = object(p, t, "offer", f);
          default -> p.skipChildren();
        }
      }
      if (id == null || offer == null) {
        throw refuse("bad request: an offer needs offer and offer_id", f);
      }
      if (out.size() < limits.maxOffers()) {
        out.add(new TrackerRequest.Offer(id, offer));
      }
    }
    return out;
  }

  private static TrackerException refuse(String reason, Fields f) {
    return new TrackerException(reason, f.knownAction(), f.infoHash);
  }

  /** The fields read so far; what a refusal can name. */
  private static final class Fields {
    String action;
    String infoHash;
    List<String> infoHashes;
    String peerId;
    String toPeerId;
    String offerId;
    String event;
    long left = -1;
    List<TrackerRequest.Offer> offers = List.of();
    String answer;

    String knownAction() {
      return "announce".equals(action) || "scrape".equals(action) ? action : null;
    }

    TrackerRequest request() throws TrackerException {
      if ("scrape".equals(action)) {
        List<String> hashes = infoHashes != null ? infoHashes
            : infoHash != null ? List.of(infoHash) : List.of();
        return new TrackerRequest.Scrape(hashes);
      }
      if (!"announce".equals(action)) {
        throw refuse(action == null ? "bad request: no action"
            : "bad request: unknown action (announce or scrape)", this);
      }
      if (infoHash == null) {
        throw refuse("invalid info_hash: missing", this);
      }
      if (peerId == null) {
        throw refuse("invalid peer_id: missing", this);
      }
      if (answer != null && (toPeerId == null || offerId == null)) {
        throw refuse("bad request: an answer needs to_peer_id and offer_id", this);
      }
      TrackerRequest.Event ev = switch (event == null ? "" : event) {
        case "", "update" -> TrackerRequest.Event.UPDATE;
        case "started" -> TrackerRequest.Event.STARTED;
        case "stopped" -> TrackerRequest.Event.STOPPED;
        case "completed" -> TrackerRequest.Event.COMPLETED;
        default -> throw refuse("bad request: unknown event (started, stopped, completed)", this);
      };
      return new TrackerRequest.Announce(infoHash, peerId, ev, left, offers, answer, toPeerId,
          offerId);
    }
  }
}
