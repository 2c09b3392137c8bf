package dev.floe.proxy.config;

import static dev.floe.proxy.config.Fixtures.parse;
import static dev.floe.proxy.config.Fixtures.problems;
import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.proxy.config.InvalidConfigException.Problem;
import dev.floe.proxy.it.tls.Certs;
import dev.floe.proxy.it.tls.Certs.KeyType;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code floe.server.tls}: defaults, PEM files made by openssl, and each bad key named. */
class TlsConfigTest {
  @TempDir Path dir;
  private Path cert;
  private Path key;

  @BeforeEach
  void makeCertificate() {
    cert = dir.resolve("fullchain.pem");
    key = dir.resolve("privkey.pem");
    Certs.write(cert, key, BigInteger.valueOf(7), KeyType.EC);
  }

  private String tls(String certificate, String privateKey) {
    return "floe.server.tls { port = 8443, certificate = \"" + certificate + "\", key = \""
        + privateKey + "\" }";
  }

  @Test
  void shouldBeOffByDefaultAndFollowTheServerBind() throws Exception {
    TlsSettings off = parse("floe.server.bind = \"127.0.0.1\"").server().tls();

    assertThat(off).isEqualTo(new TlsSettings(0, "127.0.0.1", null, null));
    assertThat(off.enabled()).isFalse();
  }

  @Test
  void shouldAcceptMatchingFilesAndItsOwnBind() throws Exception {
    TlsSettings t = parse(tls(cert.toString(), key.toString())
        + "\nfloe.server.tls.bind = \"::1\"").server().tls();

    assertThat(t).isEqualTo(new TlsSettings(8443, "::1", cert, key));
    assertThat(t.enabled()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(value = KeyType.class, names = {"RSA", "RSA_PKCS1"})
  void shouldAcceptRsaKeysInPkcs8AndPkcs1(KeyType type) throws Exception {
    Certs.write(cert, key, BigInteger.TEN, type);

    assertThat(parse(tls(cert.toString(), key.toString())).server().tls().key()).isEqualTo(key);
    assertThat(PemCredentials.read(cert, key).key().getAlgorithm()).isEqualTo("RSA");
  }

  @Test
  void shouldNameTheFilesWhenThePortIsSetWithoutThem() {
    assertThat(problems("floe.server.tls.port = 8443")).containsExactly(
        new Problem("server.tls.certificate", "must be set when port is not 0 (a PEM file)"),
        new Problem("server.tls.key", "must be set when port is not 0 (a PEM file)"));
  }

  @Test
  void shouldNameAMissingCertificate() {
    Path missing = dir.resolve("nope.pem");

    assertThat(problems(tls(missing.toString(), key.toString()))).containsExactly(
        new Problem("server.tls.certificate", missing + ": cannot read: file not found"));
    assertThat(problems(tls(missing.toString(), missing.toString()))).extracting(Problem::key)
        .containsExactly("server.tls.certificate", "server.tls.key");
  }

  @Test
  void shouldNameAMissingKey() {
    Path missing = dir.resolve("absent-key.pem");

    assertThat(problems(tls(cert.toString(), missing.toString()))).containsExactly(
        new Problem("server.tls.key", missing + ": cannot read: file not found"));
  }

  @Test
  void shouldNameACertificateFileWithoutACertificate() {
    assertThat(problems(tls(key.toString(), key.toString()))).singleElement().satisfies(p -> {
      assertThat(p.key()).isEqualTo("server.tls.certificate");
      assertThat(p.reason()).startsWith(key.toString());
    });
  }

  @Test
  void shouldNameAKeyFileWithoutAKey() {
    assertThat(problems(tls(cert.toString(), cert.toString()))).containsExactly(
        new Problem("server.tls.key", cert + ": no PEM private key in it"));
  }

  @Test
  void shouldNameAKeyThatDoesNotMatchTheCertificate() {
    Path otherCert = dir.resolve("other.pem");
    Path otherKey = dir.resolve("other-key.pem");
    Certs.write(otherCert, otherKey, BigInteger.TWO, KeyType.EC);

    assertThat(problems(tls(cert.toString(), otherKey.toString()))).containsExactly(
        new Problem("server.tls.key", otherKey + " does not match the certificate in " + cert));
  }

  @Test
  void shouldNameASec1EcKeyWithTheConversionCommand() {
    Certs.write(cert, key, BigInteger.TEN, KeyType.EC_SEC1);

    assertThat(problems(tls(cert.toString(), key.toString()))).singleElement()
        .satisfies(p -> {
          assertThat(p.key()).isEqualTo("server.tls.key");
          assertThat(p.reason()).contains("SEC1").contains("openssl pkcs8 -topk8");
        });
  }

  @Test
  void shouldNameBadPortBindAndUnknownKeys() {
    assertThat(problems("""
        floe.server { port = 8000, shoutcast-port = 8001 }
        floe.server.tls { port = 8000, bind = "a b", certficate = "x" }
        """)).containsExactly(
        new Problem("server.tls.certficate", "unknown key (did you mean \"certificate\"?)"),
        new Problem("server.tls.port",
            "must differ from port and shoutcast-port; 0 turns it off"),
        new Problem("server.tls.bind",
            "must be an IP address or host name (IPv6 without brackets), got \"a b\""));
    assertThat(problems("floe.server { shoutcast-port = 8001, tls.port = 8001 }"))
        .extracting(Problem::key).contains("server.tls.port");
    assertThat(problems("floe.server.tls = 443")).containsExactly(
        new Problem("server.tls", "expected an object, got 443"));
  }

  @Test
  void shouldDocumentEveryTlsKey() throws IOException {
    String sample = Files.readString(Path.of("../docs/floe.conf"));
    String reference = Files.readString(Path.of("../docs/configuration.md"));

    assertThat(Keys.TLS).allSatisfy(k -> {
      assertThat(sample).containsPattern("(?m)^\\s*#?\\s*" + k + " ");
      assertThat(reference).contains("`tls." + k + "`");
    });
  }
}
