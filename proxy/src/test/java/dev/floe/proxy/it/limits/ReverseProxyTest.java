package dev.floe.proxy.it.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.proxy.it.support.FfmpegSource;
import dev.floe.proxy.it.support.FloeServer;
import dev.floe.proxy.it.support.LogCapture;
import dev.floe.proxy.it.support.Ports;
import dev.floe.proxy.it.support.ReverseProxy;
import dev.floe.proxy.it.support.TestDirs;
import dev.floe.proxy.it.tls.Certs;
import dev.floe.swarm.node.SwarmNode;
import dev.floe.swarm.wire.PeerWire;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * Floe behind the real reverse proxies stations put in front of Icecast (issue 15): nginx with
 * {@code X-Forwarded-For}, HAProxy with the PROXY protocol v2. With the default limits ({@code
 * max-connections-per-ip = 256}), 1,000 listeners from distinct loopback addresses all get in
 * through the proxy, and {@code /admin/listclients} lists each one's own address, not the
 * proxy's; logs and lockouts see it too.
 */
class ReverseProxyTest {
  private static final Duration LIVE = Duration.ofSeconds(20);
  private static final int LISTENERS = 1000;

  private static FloeServer floe(String server) {
    FloeServer floe = FloeServer.start("server { source-password = \"s\", admin-password ="
        + " \"a\", sources-create-mounts = true, trusted-proxies = [\"127.0.0.1\"], " + server
        + " }");
    return floe;
  }

  /** A source on {@code port} (Floe's, or the proxy's). */
  private static FfmpegSource source(FloeServer floe, int port) {
    FfmpegSource s = FfmpegSource.builder(FfmpegSource.Format.MP3, "http://127.0.0.1:" + port
        + "/live").password("s").start();
    await("/live on Floe").atMost(LIVE).until(() -> floe.mount("/live") != null
        && floe.mount("/live").buffer() != null);
    return s;
  }

  /** The i-th listener's own address: 127.1.x.y, never the proxy's 127.0.0.1. */
  private static String address(int i) {
    return "127.1." + (i / 200) + "." + (i % 200 + 1);
  }

  /** A player on {@code port} from {@code fromIp}: connected, 200 and some audio read. */
  private static Socket listen(String fromIp, int port, String extraHeaders) throws IOException {
    Socket s = new Socket();
    try {
      s.setReceiveBufferSize(8 * 1024); // it stops reading after the head: keep the kernel's share small
      s.bind(new InetSocketAddress(fromIp, 0));
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      s.setSoTimeout(10_000);
      s.getOutputStream().write(("GET /live HTTP/1.0\r\nHost: radio\r\n" + extraHeaders + "\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      String head = Client.head(s.getInputStream());
      assertThat(head).as("listener from %s", fromIp).startsWith("HTTP/1.").contains(" 200 ");
      assertThat(s.getInputStream().read()).as("audio after the head").isNotNegative();
      return s;
    } catch (IOException | RuntimeException | Error e) {
      s.close();
      throw e;
    }
  }

  /** The addresses {@code listclients} lists, asked directly from an address of no proxy. */
  private static List<String> listedAddresses(FloeServer floe) throws Exception {
    String r;
    try (Client c = new Client("127.0.0.50", floe.port())) {
      r = c.get("/admin/listclients?mount=/live", "admin:a").all();
    }
    assertThat(Client.status(r)).isEqualTo(200);
    List<String> ips = new ArrayList<>();
    Matcher m = Pattern.compile("<IP>([^<]*)</IP>").matcher(r);
    while (m.find()) {
      ips.add(m.group(1));
    }
    return ips;
  }

  /**
   * 1,000 players through {@code proxyPort}, each from its own address (one forging an {@code
   * X-Forwarded-For} of its own); all get in and are listed under their own address.
   */
  private static void thousandListenersKeepTheirAddresses(FloeServer floe, int proxyPort)
      throws Exception {
    List<Socket> players = new ArrayList<>();
    try {
      Set<String> expected = new LinkedHashSet<>();
      for (int i = 0; i < LISTENERS; i++) {
        // The first one forges the header; a proxy appends the address it saw, which wins.
        players.add(listen(address(i), proxyPort, i == 0 ? "X-Forwarded-For: 6.6.6.6\r\n" : ""));
        expected.add(address(i));
      }
      List<String> listed = listedAddresses(floe);
      assertThat(listed).hasSize(LISTENERS);
      assertThat(new LinkedHashSet<>(listed)).isEqualTo(expected);
    } finally {
      for (Socket s : players) {
        s.close();
      }
    }
  }

  @Test
  void nginxWithXForwardedFor() throws Exception {
    Path dir = TestDirs.create("nginx");
    try (FloeServer floe = floe("");
        FfmpegSource src = source(floe, floe.port());
        ReverseProxy nginx = ReverseProxy.nginx(floe.port(), dir);
        LogCapture log = LogCapture.capture()) {
      thousandListenersKeepTheirAddresses(floe, nginx.port());
      assertThat(log.has("per-ip")).as("no per-address refusal").isFalse();

      // Logs name the client, not the proxy.
      try (Client c = new Client("127.2.0.9", nginx.port())) {
        assertThat(Client.status(c.get("/no-such-mount", null).all())).isEqualTo(404);
      }
      assertThat(log.has("127.2.0.9", "404 /no-such-mount")).isTrue();
      assertThat(log.lines()).noneMatch(l -> l.contains("127.0.0.1") && l.contains("404"));

      // Lockouts are per client: three wrong passwords from 127.2.0.1 slow it down; another
      // client behind the same proxy is not touched.
      lockoutIsPerClient(nginx.port());
    }
  }

  private static void lockoutIsPerClient(int proxyPort) throws Exception {
    for (int i = 0; i < 5; i++) {
      try (Client c = new Client("127.2.0.1", proxyPort)) {
        assertThat(Client.status(c.get("/admin/stats", "admin:wrong").all())).isEqualTo(401);
      }
    }
    try (Client held = new Client("127.2.0.1", proxyPort)) {
      held.get("/admin/stats", "admin:wrong");
      long start = System.nanoTime();
      try (Client other = new Client("127.2.0.2", proxyPort)) {
        assertThat(Client.status(other.get("/admin/stats", "admin:wrong").all())).isEqualTo(401);
      }
      assertThat((System.nanoTime() - start) / 1_000_000).as("another client is not held")
          .isLessThan(1500);
      assertThat(Client.status(held.all())).isEqualTo(401);
      assertThat((System.nanoTime() - start) / 1_000_000).as("the 6th wrong password is held")
          .isGreaterThan(1500);
    }
  }

  @Test
  void haproxyWithProxyProtocolV2() throws Exception {
    Path dir = TestDirs.create("haproxy");
    try (FloeServer floe = floe("proxy-protocol = true");
        ReverseProxy haproxy = ReverseProxy.haproxy(floe.port(), dir);
        FfmpegSource src = source(floe, haproxy.port()); // the encoder comes through it too
        LogCapture log = LogCapture.capture()) {
      thousandListenersKeepTheirAddresses(floe, haproxy.port());
      assertThat(log.has("per-ip")).as("no per-address refusal").isFalse();
      lockoutIsPerClient(haproxy.port());

      // A swarm peer's magic still starts with 0x00 after the PROXY header: taken as a peer (the
      // swarm closes it at once for a first frame that is not a HELLO), not as a malformed HTTP
      // request (which gets 400).
      // The swarm logs (and bans) it under the client's address too.
      java.util.logging.Logger swarmLog = java.util.logging.Logger.getLogger(
          SwarmNode.class.getName());
      List<String> swarmLines = new java.util.concurrent.CopyOnWriteArrayList<>();
      java.util.logging.Handler handler = new java.util.logging.Handler() {
        @Override
        public void publish(java.util.logging.LogRecord r) {
          swarmLines.add(r.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
      swarmLog.addHandler(handler);
      try (Client peer = new Client("127.2.0.7", haproxy.port())) {
        long start = System.nanoTime();
        byte[] notHello = new byte[600];
        java.util.Arrays.fill(notHello, (byte) 0x7F);
        peer.socket().getOutputStream().write(PeerWire.magicBytes());
        peer.socket().getOutputStream().write(notHello);
        assertThat(peer.all()).as("no HTTP answer to a peer").isEmpty();
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5000);
        await().atMost(LIVE).until(() -> swarmLines.stream().anyMatch(
            l -> l.contains("swarm peer 127.2.0.7:") && l.contains("before HELLO")));
      } finally {
        swarmLog.removeHandler(handler);
      }

      // Someone else on the same port connects without a header, as usual ...
      try (Client direct = new Client("127.2.0.8", floe.port())) {
        assertThat(Client.status(direct.get("/admin/stats", "admin:a").all())).isEqualTo(200);
      }
      // ... but a trusted proxy must send one: closed, logged.
      try (Client noHeader = new Client("127.0.0.1", floe.port())) {
        assertThat(noHeader.get("/admin/stats", "admin:a").all()).isEmpty();
      }
      await().atMost(LIVE).until(() -> log.has("sent no valid PROXY header"));
    }
  }

  @Test
  void haproxyInFrontOfTheHttpsPortSendsTheHeaderBeforeTls() throws Exception {
    Path dir = TestDirs.create("haproxy-tls");
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Certs.write(cert, key, BigInteger.valueOf(0x2001), Certs.KeyType.RSA);
    int tlsPort = Ports.free();
    try (FloeServer floe = floe("tls { port = " + tlsPort + ", certificate = \"" + cert
            + "\", key = \"" + key + "\", proxy-protocol = true }");
        FfmpegSource src = source(floe, floe.port());
        ReverseProxy haproxy = ReverseProxy.haproxy(tlsPort, dir)) {
      List<SSLSocket> players = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          Socket plain = new Socket();
          plain.bind(new InetSocketAddress("127.3.0." + (i + 1), 0));
          plain.connect(new InetSocketAddress("127.0.0.1", haproxy.port()), 5000);
          plain.setSoTimeout(10_000);
          SSLSocket tls = (SSLSocket) Certs.trusting(cert).getSocketFactory()
              .createSocket(plain, "127.0.0.1", haproxy.port(), true);
          players.add(tls);
          tls.getOutputStream().write("GET /live HTTP/1.0\r\nHost: radio\r\n\r\n"
              .getBytes(StandardCharsets.ISO_8859_1));
          assertThat(Client.head(tls.getInputStream())).startsWith("HTTP/1.0 200 OK\r\n");
        }
        assertThat(listedAddresses(floe)).containsExactlyInAnyOrder("127.3.0.1", "127.3.0.2",
            "127.3.0.3");
      } finally {
        for (SSLSocket s : players) {
          s.close();
        }
      }
    }
  }
}
