package dev.floe.icy.head;

import dev.floe.icy.head.HeadException.Kind;

/**
 * Decodes {@code METHOD target VERSION} plus headers. The method is any token ({@code GET},
 * {@code SOURCE}, {@code PUT} ...); the version any {@code TOKEN/d.d} ({@code HTTP/1.1},
 * {@code ICE/1.0} ...). Start-line parts may be separated by more than one space or tab.
 */
public final class RequestHeadDecoder extends HeadDecoder<RequestHead> {
  private String method;
  private String target;
  private String version;

  public RequestHeadDecoder(HeadLimits limits) {
    super(limits);
  }

  /** A decoder with {@link HeadLimits#DEFAULT}. */
  public RequestHeadDecoder() {
    this(HeadLimits.DEFAULT);
  }

  @Override
  void startLine(String line) throws HeadException {
    String[] parts = Syntax.trimOws(line).split("[ \t]+");
    if (parts.length != 3) {
      throw error(
          Kind.MALFORMED_START_LINE,
          "request line must be METHOD target VERSION, got " + parts.length + " part(s)");
    }
    if (!Syntax.isToken(parts[0])) {
      throw error(Kind.MALFORMED_START_LINE, "request method is not a token");
    }
    if (!Syntax.isVersion(parts[2])) {
      throw error(Kind.MALFORMED_START_LINE, "request version is not NAME/d.d");
    }
    method = parts[0];
    target = parts[1];
    version = parts[2];
  }

  @Override
  RequestHead build(Headers headers) {
    return new RequestHead(method, target, version, headers);
  }
}
