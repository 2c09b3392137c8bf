package dev.floe.swarm.nat;

import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * One TCP port mapping kept alive on the router: {@link #open} maps it (blocking, bounded by the
 * client's retries), then a daemon thread renews it at half its granted lifetime (RFC 6886 3.3;
 * a router that rebooted and forgot it gets it again this way), and {@link #close} removes it.
 * A renewal that fails is logged and tried again a minute later; the last granted external port
 * stays advertised meanwhile. A changed external port is reported to {@code onChange}.
 */
public final class PortMapping implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(PortMapping.class.getName());
  /** Wait after a failed renewal. */
  static final long RETRY_SECONDS = 60;

  private final NatPmpClient client;
  private final int internalPort;
  private final long lifetimeSeconds;
  private final IntConsumer onChange;
  private final ScheduledExecutorService timer;
  private volatile int externalPort;
  private volatile boolean closed;

  private PortMapping(NatPmpClient client, int internalPort, long lifetimeSeconds,
      IntConsumer onChange) {
    this.client = client;
    this.internalPort = internalPort;
    this.lifetimeSeconds = lifetimeSeconds;
    this.onChange = onChange;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "floe-port-mapping");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Maps TCP {@code internalPort} (asking for the same external port) for {@code lifetimeSeconds}
   * and keeps it mapped.
   *
   * @throws IOException naming the router and why it did not map (no answer, or its result code)
   */
  public static PortMapping open(NatPmpClient client, int internalPort, long lifetimeSeconds,
      IntConsumer onChange) throws IOException {
    if (lifetimeSeconds < 2) {
      throw new IllegalArgumentException("lifetime " + lifetimeSeconds + " s: at least 2 s");
    }
    PortMapping m = new PortMapping(client, internalPort, lifetimeSeconds, onChange);
    try {
      long granted = m.map();
      m.schedule(Math.max(1, granted / 2));
    } catch (IOException | RuntimeException e) {
      m.timer.shutdownNow();
      throw e;
    }
    return m;
  }

  /** The external port the router maps to this node's port. */
  public int externalPort() {
    return externalPort;
  }

  private long map() throws IOException {
    NatPmp.Mapping r = client.mapTcp(internalPort, externalPort == 0 ? internalPort : externalPort,
        lifetimeSeconds);
    String router = client.gateway().getAddress().getHostAddress();
    if (!r.ok()) {
      throw new IOException("router " + router + " refused to map TCP port " + internalPort + ": "
          + NatPmp.resultText(r.result()));
    }
    if (r.externalPort() == 0 || r.lifetimeSeconds() == 0) {
      throw new IOException("router " + router + " granted no mapping for TCP port "
          + internalPort + " (external port " + r.externalPort() + ", lifetime "
          + r.lifetimeSeconds() + " s)");
    }
    int before = externalPort;
    externalPort = r.externalPort();
    if (before != r.externalPort()) {
      LOG.log(System.Logger.Level.INFO, "port mapping: router " + router + " maps TCP port "
          + r.externalPort() + " to " + internalPort + " for " + r.lifetimeSeconds() + " s");
      if (before != 0) {
        onChange.accept(r.externalPort());
      }
    }
    return r.lifetimeSeconds();
  }

  private void schedule(long seconds) {
    if (!closed) {
      timer.schedule(this::renew, seconds, TimeUnit.SECONDS);
    }
  }

  private void renew() {
    if (closed) {
      return;
    }
    try {
      schedule(Math.max(1, map() / 2));
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "port mapping: renewal failed (" + e.getMessage()
          + "); trying again in " + RETRY_SECONDS + " s");
      schedule(RETRY_SECONDS);
    }
  }

  /** Stops renewing and asks the router to remove the mapping (one bounded try, logged). */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    timer.shutdownNow();
    try {
      client.mapTcp(internalPort, 0, 0);
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.INFO, "port mapping: removal not confirmed (" + e.getMessage()
          + "); it expires by itself");
    }
  }
}
