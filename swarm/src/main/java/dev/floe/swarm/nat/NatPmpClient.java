package dev.floe.swarm.nat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.function.BiFunction;

/**
 * Sends NAT-PMP requests to one gateway with RFC 6886's retry schedule (first wait 250 ms, doubled
 * each time), here cut at {@code attempts} tries (4: at most 3.75 s) so a router that does not
 * speak NAT-PMP delays nothing for long. Answers from any other address are ignored, as the RFC
 * asks. Blocking; call it off any event loop. Not thread-safe.
 */
public final class NatPmpClient {
  static final int FIRST_WAIT_MS = 250;

  private final InetSocketAddress gateway;
  private final int attempts;

  /** @param gateway the router (port {@link NatPmp#PORT}; a test gateway may use another) */
  public NatPmpClient(InetSocketAddress gateway, int attempts) {
    if (attempts < 1 || attempts > 9) {
      throw new IllegalArgumentException("attempts " + attempts + " outside 1..9 (RFC 6886)");
    }
    this.gateway = gateway;
    this.attempts = attempts;
  }

  public InetSocketAddress gateway() {
    return gateway;
  }

  /** Asks for (or, with lifetime 0 and external 0, removes) a TCP mapping. */
  public NatPmp.Mapping mapTcp(int internalPort, int externalPort, long lifetimeSeconds)
      throws IOException {
    return exchange(NatPmp.mapTcpRequest(internalPort, externalPort, lifetimeSeconds),
        NatPmp::readMapping);
  }

  /** Asks for the router's external address. */
  public NatPmp.Address externalAddress() throws IOException {
    return exchange(NatPmp.addressRequest(), NatPmp::readAddress);
  }

  private <T> T exchange(byte[] request, BiFunction<byte[], Integer, T> read) throws IOException {
    try (DatagramSocket socket = new DatagramSocket()) {
      byte[] buf = new byte[64];
      int wait = FIRST_WAIT_MS;
      String lastBad = null;
      for (int i = 0; i < attempts; i++, wait *= 2) {
        socket.send(new DatagramPacket(request, request.length, gateway));
        long until = System.nanoTime() + wait * 1_000_000L;
        while (true) {
          long left = (until - System.nanoTime()) / 1_000_000L;
          if (left <= 0) {
            break;
          }
          socket.setSoTimeout((int) left);
          DatagramPacket in = new DatagramPacket(buf, buf.length);
          try {
            socket.receive(in);
          } catch (SocketTimeoutException e) {
            break;
          }
          if (!gateway.equals(in.getSocketAddress())) {
            continue;
          }
          try {
            return read.apply(buf, in.getLength());
          } catch (IllegalArgumentException e) {
            lastBad = e.getMessage(); // e.g. a stale answer to another opcode: keep waiting
          }
        }
      }
      throw new IOException("no NAT-PMP answer from " + gateway.getAddress().getHostAddress()
          + ":" + gateway.getPort() + " after " + attempts + " tries"
          + (lastBad != null ? " (last answer refused: " + lastBad + ")" : "")
          + "; does the router have NAT-PMP (or UPnP with NAT-PMP, as miniupnpd) switched on?");
    }
  }
}
