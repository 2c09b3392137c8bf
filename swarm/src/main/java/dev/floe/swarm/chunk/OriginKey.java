package dev.floe.swarm.chunk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

/**
 * The origin's Ed25519 key pair: it signs chunks, stream headers, metadata, end-of-stream records
 * and (as tracker) peer records. Its public half is the {@link ChannelKey}.
 *
 * <p>The key lives in a small text file ({@code channel=} base32 public key, {@code private=}
 * base64 PKCS#8) created on first start with POSIX mode 0600. A key file that group or others may
 * read or write is refused, as is a file whose two halves do not match; every error names the
 * file. This is the only file access in the package.
 */
public final class OriginKey {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  private final PrivateKey privateKey;
  private final ChannelKey channelKey;

  private OriginKey(PrivateKey privateKey, ChannelKey channelKey) {
    this.privateKey = privateKey;
    this.channelKey = channelKey;
  }

  /** A fresh random key pair (not saved). */
  public static OriginKey generate() {
    try {
      KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      return new OriginKey(pair.getPrivate(), ChannelKey.of(pair.getPublic()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no Ed25519", e);
    }
  }

  /**
   * Reads the key file, or creates it (mode 0600, new key) if it does not exist.
   *
   * @throws IOException if the file cannot be read or created, is readable or writable by group or
   *     others, or does not hold a matching key pair; the message names the file
   */
  public static OriginKey loadOrCreate(Path file) throws IOException {
    if (!Files.exists(file)) {
      OriginKey key = generate();
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      } catch (FileAlreadyExistsException raced) {
        return load(file);
      }
      Files.write(file, key.fileText().getBytes(StandardCharsets.US_ASCII),
          StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
      return key;
    }
    return load(file);
  }

  /**
   * Reads an existing key file.
   *
   * @throws IOException as {@link #loadOrCreate(Path)}
   */
  public static OriginKey load(Path file) throws IOException {
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
    if (!OWNER_ONLY.containsAll(perms)) {
      throw new IOException("origin key file " + file + " has mode "
          + PosixFilePermissions.toString(perms) + ": it must be readable by its owner only"
          + " (chmod 600 " + file + ")");
    }
    String channel = null;
    String secret = null;
    for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
      if (line.startsWith("channel=")) {
        channel = line.substring("channel=".length()).trim();
      } else if (line.startsWith("private=")) {
        secret = line.substring("private=".length()).trim();
      }
    }
    if (channel == null || secret == null) {
      throw new IOException("origin key file " + file + " lacks a channel= or private= line");
    }
    try {
      PrivateKey priv = KeyFactory.getInstance("Ed25519")
          .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(secret)));
      OriginKey key = new OriginKey(priv, ChannelKey.parse(channel));
      byte[] probe = "floe/1 key-check".getBytes(StandardCharsets.US_ASCII);
      if (!key.channelKey.verifies(probe, key.sign(probe))) {
        throw new IOException("origin key file " + file + ": private key does not match channel=");
      }
      return key;
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IOException("origin key file " + file + " is not a valid key: " + e.getMessage(), e);
    }
  }

  /** The public half: the channel's identity. */
  public ChannelKey channelKey() {
    return channelKey;
  }

  /** The Ed25519 signature (64 bytes) of {@code message}. */
  byte[] sign(byte[] message) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(privateKey);
      s.update(message);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }

  private String fileText() {
    return "# Floe origin key: keep this file secret (mode 0600). The channel key is public.\n"
        + "channel=" + channelKey + "\n"
        + "private=" + Base64.getEncoder().encodeToString(privateKey.getEncoded()) + "\n";
  }

  /** Shows the channel key only, never the private key. */
  @Override
  public String toString() {
    return "OriginKey[channel=" + channelKey + "]";
  }
}
