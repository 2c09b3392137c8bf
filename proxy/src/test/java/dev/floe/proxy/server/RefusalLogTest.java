package dev.floe.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RefusalLogTest {
  @Test
  void logsOneLinePerIntervalPerKindAndCountsTheRest() {
    Logger logger = (Logger) LoggerFactory.getLogger("refusal-log-test");
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    AtomicLong now = new AtomicLong(0);
    RefusalLog log = new RefusalLog(logger, Duration.ofSeconds(1), now::get);

    for (int i = 0; i < 1000; i++) {
      log.warn("flood", "refused " + i);
    }
    log.warn("other", "other kind");
    now.addAndGet(1_000_000_000L);
    log.warn("flood", "refused again");
    log.warn("flood", "suppressed");

    assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
        "refused 0", "other kind", "refused again (999 more suppressed)");
  }
}
