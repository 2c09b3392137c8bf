package dev.floe.proxy.it.tls;

import dev.floe.proxy.it.support.Tools;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed certificates for {@code 127.0.0.1} made with the {@code openssl} CLI (fails, never
 * skips, when it is missing), written as certbot renews: the new files are made beside the old
 * ones and moved over them, so the paths stay the same.
 */
public final class Certs {
  /** The key types a test can ask for. */
  public enum KeyType {
    /** EC P-256 in PKCS#8, certbot's default. */
    EC("ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"),
    /** RSA 2048 in PKCS#8. */
    RSA("rsa:2048"),
    /** RSA 2048 in PKCS#1 ({@code BEGIN RSA PRIVATE KEY}). */
    RSA_PKCS1("rsa:2048"),
    /** EC P-256 in SEC1 ({@code BEGIN EC PRIVATE KEY}), which Floe refuses. */
    EC_SEC1("ec", "-pkeyopt", "ec_paramgen_curve:prime256v1");

    private final List<String> newKey;

    KeyType(String... newKey) {
      this.newKey = List.of(newKey);
    }
  }

  private Certs() {}

  /**
   * Writes a certificate for CN and IP SAN 127.0.0.1 with {@code serial} to {@code certificate}
   * and its key to {@code key}, replacing what is there.
   */
  public static void write(Path certificate, Path key, BigInteger serial, KeyType type) {
    Path dir = certificate.toAbsolutePath().getParent();
    Path newCert = dir.resolve(certificate.getFileName() + ".new");
    Path newKey = dir.resolve(key.getFileName() + ".new");
    List<String> cmd = new ArrayList<>(List.of(openssl(), "req", "-x509", "-newkey"));
    cmd.addAll(type.newKey);
    cmd.addAll(List.of("-nodes", "-keyout", newKey.toString(), "-out", newCert.toString(),
        "-days", "30", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        "-set_serial", "0x" + serial.toString(16)));
    run(dir, cmd);
    if (type == KeyType.RSA_PKCS1) {
      run(dir, List.of(openssl(), "rsa", "-in", newKey.toString(), "-traditional", "-out",
          newKey.toString()));
    } else if (type == KeyType.EC_SEC1) {
      run(dir, List.of(openssl(), "ec", "-in", newKey.toString(), "-out", newKey.toString()));
    }
    try {
      Files.move(newKey, key, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      Files.move(newCert, certificate, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The first certificate of a PEM file. */
  public static X509Certificate read(Path certificate) {
    try (InputStream in = Files.newInputStream(certificate)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  /** A client context that trusts exactly the certificate in {@code certificate}. */
  public static SSLContext trusting(Path certificate) throws GeneralSecurityException,
      IOException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    store.setCertificateEntry("server", read(certificate));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(
        TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  private static String openssl() {
    return Tools.require("openssl", "openssl").toString();
  }

  private static void run(Path dir, List<String> cmd) {
    try {
      Path log = Files.createTempFile(dir, "openssl-", ".log");
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("openssl timed out: " + cmd);
      }
      if (p.exitValue() != 0) {
        throw new AssertionError("openssl failed: " + cmd + "\n" + Files.readString(log));
      }
      Files.delete(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
