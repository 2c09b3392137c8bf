package dev.floe.icy.head;

import java.util.Objects;

/** A head that cannot be accepted. {@link #status()} is the HTTP status to answer with. */
public final class HeadException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What was wrong. */
  public enum Kind {
    /** The start line exceeded {@link HeadLimits#maxLineBytes()}: 414. */
    START_LINE_TOO_LONG(414),
    /** A header line exceeded {@link HeadLimits#maxLineBytes()}: 431. */
    HEADER_LINE_TOO_LONG(431),
    /** More header fields than {@link HeadLimits#maxHeaders()}: 431. */
    TOO_MANY_HEADERS(431),
    /** The head exceeded {@link HeadLimits#maxHeadBytes()}: 431. */
    HEAD_TOO_LARGE(431),
    /** The start line is not {@code METHOD target VERSION} or a status line: 400. */
    MALFORMED_START_LINE(400),
    /** A header line has no colon, a bad name, or a control byte: 400. */
    MALFORMED_HEADER(400);

    private final int status;

    Kind(int status) {
      this.status = status;
    }

    /** The HTTP status that answers this kind. */
    public int status() {
      return status;
    }
  }

  private final Kind kind;

  public HeadException(Kind kind, String message) {
    super(message);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  public Kind kind() {
    return kind;
  }

  /** 414, 431 or 400: see {@link Kind}. */
  public int status() {
    return kind.status();
  }
}
