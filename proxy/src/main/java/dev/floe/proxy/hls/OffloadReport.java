package dev.floe.proxy.hls;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One web player's report of what it played since its last report ({@code POST
 * /<mount>.hls/report}, {@code docs/hls.md}): a JSON object
 * <pre>{"seconds":20.0,"http":123456,"p2p":654321,"rejected":0,"offenders":["peer id"]}</pre>
 * {@code seconds} is the time the counts cover (more than 0, at most {@link #MAX_SECONDS});
 * {@code http} and {@code p2p} are segment bytes played from Floe and from browser peers;
 * {@code rejected} peer segments that did not match the playlist's SHA-256; {@code offenders}
 * the peers that sent them (at most {@link #MAX_OFFENDERS}, each 1 to {@link #MAX_ID_CHARS}
 * printable ASCII characters). Only {@code seconds} is required; counts default to 0.
 *
 * <p>Strict: anything else (another key, a key twice, a fraction or a negative where a count
 * belongs, a count past {@link #MAX_COUNT}, bytes after the object) is {@link Invalid} with a
 * message naming what. These are a browser's claims, not measurements: {@link #implausible}
 * refuses counts the stream could not have carried in the time they cover.
 */
public record OffloadReport(double seconds, long http, long p2p, long rejected,
    List<String> offenders) {
  /** The longest time one report may cover: a tab in the background reports rarely. */
  public static final double MAX_SECONDS = 600;
  /** Offending peers named in one report. */
  public static final int MAX_OFFENDERS = 8;
  /** Characters of one peer id (P2P Media Loader's are 20). */
  public static final int MAX_ID_CHARS = 64;
  /** Largest count accepted (2^50: a petabyte; far beyond any plausible report). */
  public static final long MAX_COUNT = 1L << 50;
  /** Rejected segments in one report: a hostile peer is dropped after a few. */
  public static final long MAX_REJECTED = 10_000;
  /**
   * Stream seconds a player may fetch beyond the time a report covers: hls.js loads up to three
   * segments ahead when it starts, and P2P Media Loader prefetches a few more.
   */
  public static final double AHEAD_SECONDS = 60;
  /** Tolerance on the stream's byte rate: ID3 tags, VBR above the announced bitrate. */
  public static final double RATE_TOLERANCE = 1.5;

  private static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(2).maxStringLength(MAX_ID_CHARS + 1).maxNumberLength(24).build())
      .build();

  /** A report that is not one: its message says why (and is safe to log and to answer). */
  public static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    Invalid(String message) {
      super(message);
    }
  }

  public OffloadReport {
    offenders = List.copyOf(offenders);
  }

  /** Parses one report body (UTF-8 JSON). */
  public static OffloadReport parse(byte[] body) throws Invalid {
    double seconds = Double.NaN;
    long http = 0;
    long p2p = 0;
    long rejected = 0;
    List<String> offenders = List.of();
    Set<String> seen = new HashSet<>();
    try (JsonParser p = JSON.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new Invalid("the report is not a JSON object");
      }
      for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
        if (t != JsonToken.FIELD_NAME) {
          throw new Invalid("the report is not a JSON object");
        }
        String key = p.currentName();
        if (!seen.add(key)) {
          throw new Invalid("\"" + key + "\" given twice");
        }
        p.nextToken();
        switch (key) {
          case "seconds" -> seconds = seconds(p);
          case "http" -> http = count(p, key, MAX_COUNT);
          case "p2p" -> p2p = count(p, key, MAX_COUNT);
          case "rejected" -> rejected = count(p, key, MAX_REJECTED);
          case "offenders" -> offenders = offenders(p);
          default -> throw new Invalid("unknown key \"" + printable(key) + "\"");
        }
      }
      if (p.nextToken() != null) {
        throw new Invalid("bytes after the report's object");
      }
    } catch (IOException e) { // malformed JSON, or past the parser's constraints
      throw new Invalid("not JSON: " + printable(firstLine(e instanceof JsonProcessingException j
          ? j.getOriginalMessage() : e.getMessage())));
    }
    if (Double.isNaN(seconds)) {
      throw new Invalid("\"seconds\" is missing");
    }
    return new OffloadReport(seconds, http, p2p, rejected, offenders);
  }

  /**
   * Why this report cannot be true of a stream of {@code bytesPerSecond}, or null when it can:
   * more bytes than the stream carries in {@code seconds} (plus {@link #AHEAD_SECONDS} fetched
   * ahead, times {@link #RATE_TOLERANCE}), or more rejected segments than a second each.
   */
  public String implausible(long bytesPerSecond) {
    double most = Math.max(1, bytesPerSecond) * (seconds + AHEAD_SECONDS) * RATE_TOLERANCE;
    if ((double) http + p2p > most) {
      return String.format(java.util.Locale.ROOT, "%d bytes (http %d, p2p %d) in %.1f s: more"
          + " than the stream carries (at most %.0f)", http + p2p, http, p2p, seconds, most);
    }
    if (rejected > seconds + AHEAD_SECONDS) {
      return rejected + " rejected segments in " + seconds + " s";
    }
    return null;
  }

  private static double seconds(JsonParser p) throws IOException, Invalid {
    JsonToken t = p.currentToken();
    if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
      throw new Invalid("\"seconds\" is not a number");
    }
    double s = p.getDoubleValue();
    if (!(s > 0) || s > MAX_SECONDS) {
      throw new Invalid("\"seconds\" is " + p.getText() + ", not more than 0 and at most "
          + (int) MAX_SECONDS);
    }
    return s;
  }

  private static long count(JsonParser p, String key, long max) throws IOException, Invalid {
    if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
      throw new Invalid("\"" + key + "\" is not a whole number");
    }
    if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      throw new Invalid("\"" + key + "\" is " + p.getText() + ", past " + max);
    }
    long v = p.getLongValue();
    if (v < 0 || v > max) {
      throw new Invalid("\"" + key + "\" is " + v + ", not 0 to " + max);
    }
    return v;
  }

  private static List<String> offenders(JsonParser p) throws IOException, Invalid {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw new Invalid("\"offenders\" is not an array");
    }
    List<String> out = new ArrayList<>();
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (t != JsonToken.VALUE_STRING) {
        throw new Invalid("\"offenders\" holds something else than strings");
      }
      if (out.size() == MAX_OFFENDERS) {
        throw new Invalid("more than " + MAX_OFFENDERS + " offenders");
      }
      String id = p.getText();
      if (id.isEmpty() || id.length() > MAX_ID_CHARS || !printableAscii(id)) {
        throw new Invalid("an offender's id is not 1 to " + MAX_ID_CHARS
            + " printable ASCII characters");
      }
      if (!out.contains(id)) {
        out.add(id);
      }
    }
    return out;
  }

  private static boolean printableAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  /** {@code s} cut to 40 characters with everything outside printable ASCII as '?'. */
  private static String printable(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(Math.min(s.length(), 40));
    for (int i = 0; i < s.length() && i < 40; i++) {
      char c = s.charAt(i);
      b.append(c >= 0x20 && c <= 0x7e ? c : '?');
    }
    return b.toString();
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
