package dev.floe.swarm.nat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * The NAT-PMP wire (RFC 6886 section 3): requests as bytes, responses as values. Pure: no sockets,
 * no clocks. A response that is short, of another version or opcode is refused with an {@link
 * IllegalArgumentException} that says which; a well-formed response with a non-zero result code
 * is returned as it is (the caller words the refusal, {@link #resultText}).
 */
public final class NatPmp {
  /** The gateway's NAT-PMP port. */
  public static final int PORT = 5351;
  /** Protocol version 0. */
  static final int VERSION = 0;
  static final int OP_ADDRESS = 0;
  static final int OP_MAP_UDP = 1;
  static final int OP_MAP_TCP = 2;
  /** Responses carry the request's opcode plus 128. */
  static final int RESPONSE = 128;
  /** Size of a mapping request and response; of an address response. */
  static final int MAP_REQUEST_BYTES = 12;
  static final int MAP_RESPONSE_BYTES = 16;
  static final int ADDRESS_RESPONSE_BYTES = 12;

  private NatPmp() {}

  /** A mapping answer: the gateway's epoch and the external port it mapped, for how long. */
  public record Mapping(int result, long epochSeconds, int internalPort, int externalPort,
      long lifetimeSeconds) {
    /** Whether the gateway granted the request. */
    public boolean ok() {
      return result == 0;
    }
  }

  /** An external-address answer. */
  public record Address(int result, long epochSeconds, InetAddress external) {
    public boolean ok() {
      return result == 0;
    }
  }

  /** The external-address request (2 bytes). */
  public static byte[] addressRequest() {
    return new byte[] {VERSION, OP_ADDRESS};
  }

  /**
   * A TCP mapping request for {@code internalPort}, suggesting {@code externalPort}, for {@code
   * lifetimeSeconds} (0 with external port 0 removes the mapping).
   */
  public static byte[] mapTcpRequest(int internalPort, int externalPort, long lifetimeSeconds) {
    check("internal port", internalPort, 1, 0xFFFF);
    check("external port", externalPort, 0, 0xFFFF);
    if (lifetimeSeconds < 0 || lifetimeSeconds > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("lifetime " + lifetimeSeconds + " s outside 0..2^32-1");
    }
    ByteBuffer b = ByteBuffer.allocate(MAP_REQUEST_BYTES);
    b.put((byte) VERSION).put((byte) OP_MAP_TCP).putShort((short) 0)
        .putShort((short) internalPort).putShort((short) externalPort)
        .putInt((int) lifetimeSeconds);
    return b.array();
  }

  /** Reads a TCP mapping response from {@code length} bytes of {@code data}. */
  public static Mapping readMapping(byte[] data, int length) {
    ByteBuffer b = head(data, length, OP_MAP_TCP, MAP_RESPONSE_BYTES);
    int result = Short.toUnsignedInt(b.getShort());
    long epoch = Integer.toUnsignedLong(b.getInt());
    int internal = Short.toUnsignedInt(b.getShort());
    int external = Short.toUnsignedInt(b.getShort());
    long lifetime = Integer.toUnsignedLong(b.getInt());
    return new Mapping(result, epoch, internal, external, lifetime);
  }

  /** Reads an external-address response from {@code length} bytes of {@code data}. */
  public static Address readAddress(byte[] data, int length) {
    ByteBuffer b = head(data, length, OP_ADDRESS, ADDRESS_RESPONSE_BYTES);
    int result = Short.toUnsignedInt(b.getShort());
    long epoch = Integer.toUnsignedLong(b.getInt());
    byte[] ip = new byte[4];
    b.get(ip);
    try {
      return new Address(result, epoch, Inet4Address.getByAddress(ip));
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // 4 bytes always make an address
    }
  }

  /** RFC 6886 result codes in words. */
  public static String resultText(int result) {
    return switch (result) {
      case 0 -> "success";
      case 1 -> "unsupported version";
      case 2 -> "not authorized or refused (port mapping switched off on the router?)";
      case 3 -> "network failure (the router has no external address)";
      case 4 -> "out of resources (the router has no free mapping)";
      case 5 -> "unsupported opcode";
      default -> "result code " + result;
    };
  }

  private static ByteBuffer head(byte[] data, int length, int op, int size) {
    if (length < 4) {
      throw new IllegalArgumentException("NAT-PMP response of " + length + " bytes: too short");
    }
    ByteBuffer b = ByteBuffer.wrap(data, 0, length);
    int version = Byte.toUnsignedInt(b.get());
    int opcode = Byte.toUnsignedInt(b.get());
    if (version != VERSION) {
      throw new IllegalArgumentException("NAT-PMP response of version " + version + ", not 0");
    }
    if (opcode != op + RESPONSE) {
      throw new IllegalArgumentException("NAT-PMP response opcode " + opcode + ", expected "
          + (op + RESPONSE));
    }
    // An error answer may be short (RFC 6886 3.5: only the first 8 bytes are meaningful).
    int result = Short.toUnsignedInt(b.getShort(2));
    if (length < size && !(result != 0 && length >= 8)) {
      throw new IllegalArgumentException("NAT-PMP response of " + length + " bytes, expected "
          + size);
    }
    if (length < size) {
      ByteBuffer padded = ByteBuffer.allocate(size);
      padded.put(data, 0, length).position(2); // the missing fields read as 0
      return padded;
    }
    return b;
  }

  private static void check(String what, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(what + " " + value + " outside " + min + ".." + max);
    }
  }
}
