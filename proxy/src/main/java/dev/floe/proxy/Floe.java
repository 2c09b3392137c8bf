package dev.floe.proxy;
import dev.floe.proxy.config.FloeConfig;
/** Placeholder: replaced by the server core. */
public final class Floe implements AutoCloseable {
  public static Floe start(FloeConfig config) throws Exception { throw new UnsupportedOperationException("server core not merged yet"); }
  public int port() { return -1; }
  public void awaitShutdown() throws InterruptedException {}
  @Override public void close() {}
}
