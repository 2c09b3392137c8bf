package dev.floe.swarm.guard;

import dev.floe.swarm.schedule.TokenBucket;
import java.time.Clock;

/**
 * One peer's request allowance, a token bucket counted in requested chunks: {@code perSecond}
 * tokens a second up to {@code burst}. Asking for more than is left is refused, and the refused
 * amount still counts as debt, so a peer that keeps asking while refused sinks; once its debt
 * exceeds another {@code burst} it is {@link Outcome#FLOOD}ing and should be dropped. A peer that
 * over-asks once recovers as tokens refill. Clock injected; not thread-safe.
 */
public final class RequestBucket {
  /** The answer to one request. */
  public enum Outcome {
    /** Within the allowance: serve it. */
    SERVE,
    /** Over the allowance: refuse it (the peer may retry later). */
    REFUSE,
    /** Far over the allowance: the peer floods; drop it. */
    FLOOD
  }

  private final int burst;
  private final Clock clock;
  private final TokenBucket bucket;

  /** @throws IllegalArgumentException if {@code perSecond} or {@code burst} is not positive */
  public RequestBucket(double perSecond, int burst, Clock clock) {
    if (!(perSecond > 0) || burst < 1) {
      throw new IllegalArgumentException("perSecond and burst must be positive");
    }
    this.burst = burst;
    this.clock = clock;
    this.bucket = new TokenBucket(perSecond, burst, clock.millis());
  }

  /** Charges a request for {@code chunks} chunks. */
  public Outcome take(int chunks) {
    long now = clock.millis();
    bucket.force(now, chunks);
    double tokens = bucket.tokens(now);
    if (tokens >= 0) {
      return Outcome.SERVE;
    }
    return tokens >= -burst ? Outcome.REFUSE : Outcome.FLOOD;
  }
}
