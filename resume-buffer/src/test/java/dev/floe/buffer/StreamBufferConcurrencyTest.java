package dev.floe.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.icy.meta.IcyMetadata;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.RepeatedTest;

/**
 * One writer appends 5,000 chunks while four readers follow at different speeds. Every reader must
 * see contiguous, intact chunks until it is lapped, and must be told when it is.
 */
class StreamBufferConcurrencyTest {
  static final int CHUNKS = 5_000;
  static final long MAX_BYTES = 64 * 1024;

  enum Speed {
    FAST,
    FAST_REOPENING,
    SLOW,
    STALLED
  }

  static final class Report {
    final Speed speed;
    long chunks;
    long bytes;
    long laps;
    long lostBytes;

    Report(Speed speed) {
      this.speed = speed;
    }

    @Override
    public String toString() {
      return speed + ": " + chunks + " chunks, " + bytes + " bytes, " + laps + " laps, " + lostBytes
          + " bytes lost";
    }
  }

  @RepeatedTest(3)
  void readersSeeContiguousChunksUntilLappedAndAreTold() throws Exception {
    StreamBuffer buffer = new StreamBuffer(BufferLimits.ofBytes(MAX_BYTES));
    IcyMetadata meta = IcyMetadata.of("t", null);
    AtomicLong finalNewest = new AtomicLong(-1);
    CountDownLatch start = new CountDownLatch(1);
    CountDownLatch writerDone = new CountDownLatch(1);
    CountDownLatch readersDone = new CountDownLatch(Speed.values().length);
    Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
    List<Report> reports = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(Speed.values().length + 1);
    try {
      for (Speed speed : Speed.values()) {
        Report report = new Report(speed);
        reports.add(report);
        Cursor cursor = buffer.open(0); // every reader starts at the very beginning
        pool.execute(
            () -> {
              try {
                start.await();
                read(buffer, cursor, report, finalNewest, writerDone);
              } catch (Throwable t) {
                failures.add(t);
              } finally {
                readersDone.countDown();
              }
            });
      }
      pool.execute(
          () -> {
            try {
              start.await();
              Random r = new Random();
              for (int i = 0; i < CHUNKS; i++) {
                int n = 50 + r.nextInt(1500);
                buffer.append(StreamBufferTest.bytes(buffer.newest(), n), meta, null);
                if (i % 4 == 0) {
                  LockSupport.parkNanos(50_000); // two cores: let fast readers keep up, mostly
                }
              }
              finalNewest.set(buffer.newest());
            } catch (Throwable t) {
              failures.add(t);
            } finally {
              writerDone.countDown();
            }
          });
      start.countDown();

      await().atMost(Duration.ofSeconds(60)).until(() -> writerDone.getCount() == 0);
      assertThat(readersDone.await(60, TimeUnit.SECONDS)).as("readers finished").isTrue();
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
    System.out.println(reports); // the surefire report keeps it: who was lapped, how much
    assertThat(failures).as("failures in threads").isEmpty();
    assertThat(buffer.bytes()).isLessThanOrEqualTo(MAX_BYTES);
    for (Report r : reports) {
      // What a reader got plus what it was told it lost covers the whole stream.
      assertThat(r.bytes + r.lostBytes).as(r.toString()).isEqualTo(finalNewest.get());
    }
    Report stalled = reports.get(Speed.STALLED.ordinal());
    assertThat(stalled.laps).as(stalled.toString()).isPositive();
  }

  private static void read(
      StreamBuffer buffer,
      Cursor cursor,
      Report report,
      AtomicLong finalNewest,
      CountDownLatch writerDone)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    long expected = cursor.position();
    long lastSeq = -1;
    Random r = new Random();
    while (true) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(report + ": did not finish at " + expected);
      }
      Chunk c;
      try {
        c = cursor.next();
      } catch (LappedException e) {
        assertThat(e.wanted()).isEqualTo(expected);
        assertThat(e.oldest()).isGreaterThan(e.wanted());
        assertThat(buffer.oldest()).isGreaterThanOrEqualTo(e.oldest());
        report.laps++;
        report.lostBytes += e.oldest() - e.wanted();
        cursor = buffer.open(e.oldest());
        // Opened at the oldest chunk: if more went meanwhile, that loss is reported too.
        report.lostBytes += cursor.position() - e.oldest();
        expected = cursor.position();
        lastSeq = -1;
        continue;
      }
      if (c == null) {
        long end = finalNewest.get();
        if (end >= 0 && expected == end) {
          return;
        }
        LockSupport.parkNanos(20_000);
        continue;
      }
      // Contiguous: each chunk starts where the previous one ended.
      assertThat(c.start()).as(report.speed + " chunk start").isEqualTo(expected);
      if (lastSeq >= 0) {
        assertThat(c.sequence()).isEqualTo(lastSeq + 1);
      }
      ByteBuffer d = c.data();
      assertThat(d.isDirect()).isTrue();
      for (int i = 0; i < d.limit(); i++) {
        if (d.get(i) != StreamBufferTest.valueAt(c.start() + i)) {
          throw new AssertionError(report.speed + ": wrong byte at " + (c.start() + i));
        }
      }
      lastSeq = c.sequence();
      expected = c.end();
      assertThat(cursor.position()).isEqualTo(expected);
      report.chunks++;
      report.bytes += c.length();

      switch (report.speed) {
        case FAST_REOPENING -> {
          if (report.chunks % 7 == 0) {
            // A fresh cursor at a chunk boundary lands on that boundary, unless it was evicted.
            Cursor again = buffer.open(expected);
            if (again.position() != expected) {
              assertThat(again.position()).isGreaterThan(expected);
              assertThat(buffer.oldest()).isGreaterThan(expected);
            }
          }
          if (report.chunks % 11 == 0) {
            Cursor behind = buffer.openBehindLive(r.nextInt(20_000));
            try {
              Chunk first = behind.next();
              if (first != null) {
                assertThat(first.start()).isEqualTo(behind.position() - first.length());
              }
            } catch (LappedException ignored) {
              // evicted between open and next: allowed, and it was told
            }
          }
        }
        case SLOW -> {
          if (report.chunks % 16 == 0) {
            LockSupport.parkNanos(1_000_000);
          }
        }
        case STALLED -> {
          if (report.chunks == 1) {
            writerDone.await(); // far behind for sure: lapped on the next read
          }
        }
        default -> {}
      }
    }
  }
}
