package dev.floe.icy.head;

import dev.floe.icy.head.HeadException.Kind;

/**
 * Decodes {@code VERSION status reason} plus headers. The version is any {@code TOKEN/d.d} or
 * SHOUTcast's bare {@code ICY}; the status three digits; the reason may be empty or absent.
 */
public final class ResponseHeadDecoder extends HeadDecoder<ResponseHead> {
  private String version;
  private int status;
  private String reason;

  public ResponseHeadDecoder(HeadLimits limits) {
    super(limits);
  }

  /** A decoder with {@link HeadLimits#DEFAULT}. */
  public ResponseHeadDecoder() {
    this(HeadLimits.DEFAULT);
  }

  @Override
  void startLine(String line) throws HeadException {
    String s = Syntax.trimOws(line);
    int sp = indexOfOws(s, 0);
    if (sp < 0) {
      throw error(Kind.MALFORMED_START_LINE, "status line must be VERSION status [reason]");
    }
    String v = s.substring(0, sp);
    if (!Syntax.isVersion(v) && !ResponseHead.ICY.equalsIgnoreCase(v)) {
      throw error(Kind.MALFORMED_START_LINE, "response version is not NAME/d.d or ICY");
    }
    int from = sp;
    while (from < s.length() && Syntax.isOws(s.charAt(from))) {
      from++;
    }
    int end = indexOfOws(s, from);
    if (end < 0) {
      end = s.length();
    }
    if (end - from != 3 || !Syntax.isDigits(s, from, end) || s.charAt(from) == '0') {
      throw error(Kind.MALFORMED_START_LINE, "response status is not three digits from 100 to 999");
    }
    version = v;
    status = Integer.parseInt(s.substring(from, end));
    reason = Syntax.trimOws(s.substring(end));
  }

  private static int indexOfOws(String s, int from) {
    for (int i = from; i < s.length(); i++) {
      if (Syntax.isOws(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  @Override
  ResponseHead build(Headers headers) {
    return new ResponseHead(version, status, reason, headers);
  }
}
