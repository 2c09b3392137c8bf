package dev.floe.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the whole generator against a tiny loopback server that misbehaves on purpose. */
class LoadGenTest {
  private static final int METAINT = 100;

  /** What the fake server does with the n-th connection it accepts. */
  private static byte[] response(int n) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String okHead = "HTTP/1.0 200 OK\r\nContent-Type: audio/mpeg\r\nicy-metaint: " + METAINT
        + "\r\n\r\n";
    switch (n % 4) {
      case 0: // A good stream: 70 KiB of audio with empty and non-empty metadata blocks.
        out.writeBytes(okHead.getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < 700; i++) {
          out.writeBytes(new byte[METAINT]);
          if (i == 3) {
            byte[] t = "StreamTitle='t';".getBytes(StandardCharsets.ISO_8859_1);
            byte[] b = new byte[1 + 32];
            b[0] = 2;
            System.arraycopy(t, 0, b, 1, t.length);
            out.writeBytes(b);
          } else {
            out.write(0);
          }
        }
        break;
      case 1:
        out.writeBytes("HTTP/1.0 404 Not Found\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        break;
      case 2: // Metadata block with junk in the padding.
        out.writeBytes(okHead.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(new byte[METAINT]);
        out.writeBytes(new byte[] {1, 'S', 't', 'r', 'e', 'a', 'm', 'T', 'i', 't', 'l', 'e', '=',
            '\'', '\'', ';', 'x'});
        out.writeBytes(new byte[METAINT]);
        break;
      default: // Head, a little audio, then the server hangs up.
        out.writeBytes(okHead.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(new byte[10]);
        break;
    }
    return out.toByteArray();
  }

  private static void readRequest(InputStream in) throws IOException {
    int matched = 0;
    for (int i = 0; i < 4096 && matched < 4; i++) {
      int c = in.read();
      if (c < 0) {
        return;
      }
      matched = (c == "\r\n\r\n".charAt(matched)) ? matched + 1 : (c == '\r' ? 1 : 0);
    }
  }

  @Test
  void classifiesListenersAndWritesJson(@TempDir Path dir) throws Exception {
    int listeners = 8;
    ConcurrentLinkedQueue<String> requests = new ConcurrentLinkedQueue<>();
    List<Socket> keep = new ArrayList<>();
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      server.setSoTimeout(10_000);
      Thread acceptor = new Thread(() -> {
        try {
          for (int n = 0; n < listeners; n++) {
            Socket s = server.accept();
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            ByteArrayOutputStream req = new ByteArrayOutputStream();
            readRequest(new InputStream() {
              @Override
              public int read() throws IOException {
                int c = in.read();
                if (c >= 0) {
                  req.write(c);
                }
                return c;
              }
            });
            requests.add(req.toString(StandardCharsets.ISO_8859_1));
            OutputStream out = s.getOutputStream();
            out.write(response(n));
            out.flush();
            if (n % 4 == 0) {
              synchronized (keep) {
                keep.add(s);
              }
            } else {
              s.close();
            }
          }
        } catch (IOException e) {
          // The assertions below report what is missing.
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();

      Path json = dir.resolve("out.json");
      Options o = Options.parse(new String[] {
          "--url", "http://127.0.0.1:" + server.getLocalPort() + "/live",
          "--listeners", String.valueOf(listeners), "--ramp", "200", "--settle", "1s",
          "--duration", "300ms", "--threads", "1", "--timeout", "5s", "--label", "unit",
          "--json", json.toString(), "--pid", String.valueOf(ProcessHandle.current().pid())});
      assertThat(LoadGen.run(o)).isZero();
      acceptor.join(10_000);

      String line = Files.readString(json).trim();
      assertThat(line).startsWith("{\"label\":\"unit\"").endsWith("}}");
      assertThat(line).contains("\"opened\":8", "\"connected_at_end\":2", "\"failed\":6",
          "\"pending_at_end\":0", "\"non_200\":2", "\"parse_error\":2", "\"closed_early\":2",
          "\"metadata_updates\":2");
      assertThat(line).contains("\"first64k_ms\":{\"n\":2,");
      // Both good listeners got 70 KiB (4.4 s of play at 16000 B/s) within a 1.4 s run.
      assertThat(line).contains("\"player_model\":\"65536:16000\"", "\"players_started\":2",
          "\"silence_ms\":{\"n\":2,", "\"underrun_listeners\":0", "\"underrun_total_s\":0,");
      assertThat(line).containsPattern("\"vmhwm_kb\":[1-9]");
      assertThat(requests).hasSize(listeners).allSatisfy(r -> assertThat(r).isEqualTo(
          "GET /live HTTP/1.0\r\nHost: 127.0.0.1:" + server.getLocalPort()
              + "\r\nUser-Agent: floe-loadgen\r\nIcy-MetaData: 1\r\n\r\n"));
    } finally {
      synchronized (keep) {
        for (Socket s : keep) {
          s.close();
        }
      }
    }
  }

  @Test
  void aPlayerWhoseBufferRunsOutIsReportedAndTheWindowStartIsSignalled(@TempDir Path dir)
      throws Exception {
    byte[] head = ("HTTP/1.0 200 OK\r\nContent-Type: audio/mpeg\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      server.setSoTimeout(10_000);
      Socket[] held = new Socket[1];
      Thread acceptor = new Thread(() -> {
        try {
          Socket s = server.accept();
          held[0] = s;
          readRequest(s.getInputStream());
          // 10000 bytes of audio, then silence with the connection open.
          s.getOutputStream().write(head);
          s.getOutputStream().write(new byte[10_000]);
          s.getOutputStream().flush();
        } catch (IOException e) {
          // The assertions below report what is missing.
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      Path json = dir.resolve("out.json");
      Path sig = dir.resolve("sig");
      // The player starts at 1000 bytes and plays 100000 B/s: 10000 bytes last 100 ms, and the
      // run lasts about 1.35 s, so at least 1 s of underrun and of silence.
      Options o = Options.parse(new String[] {
          "--url", "http://127.0.0.1:" + server.getLocalPort() + "/live", "--listeners", "1",
          "--ramp", "100", "--settle", "800ms", "--duration", "500ms", "--threads", "1",
          "--metadata", "false", "--player-model", "1000:100000", "--json", json.toString(),
          "--signal-dir", sig.toString(), "--hold-max", "0s"});
      try {
        assertThat(LoadGen.run(o)).isZero();
      } finally {
        acceptor.join(10_000);
        if (held[0] != null) {
          held[0].close();
        }
      }
      String line = Files.readString(json).trim();
      assertThat(line).contains("\"connected_at_end\":1", "\"players_started\":1",
          "\"underrun_listeners\":1", "\"underrun_events\":1", "\"player_model\":\"1000:100000\"");
      assertThat(line).containsPattern("\"underrun_total_s\":1\\.[0-9]");
      assertThat(line).containsPattern("\"silence_ms\":\\{\"n\":1,\"p50\":1[0-9]{3}");
      // The silence began with the last read, before the window opened.
      assertThat(line).containsPattern("\"silence_start_ms\":\\{\"n\":1,\"p50\":-[1-9]");
      assertThat(sig.resolve("window-start")).exists();
      assertThat(sig.resolve("steady-end")).exists();
    }
  }

  @Test
  void refusedConnectionsAreCountedAsSuch(@TempDir Path dir) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path json = dir.resolve("out.json");
    Options o = Options.parse(new String[] {
        "--url", "http://127.0.0.1:" + port + "/live", "--listeners", "3", "--ramp", "300",
        "--settle", "100ms", "--duration", "100ms", "--threads", "1", "--json", json.toString()});
    assertThat(LoadGen.run(o)).isZero();
    assertThat(Files.readString(json)).contains("\"connect_refused\":3", "\"connected_at_end\":0");
  }

  @Test
  void parsesDurationsAndRejectsBadOptions() {
    assertThat(Options.duration("250ms")).isEqualTo(250_000_000L);
    assertThat(Options.duration("30s")).isEqualTo(30_000_000_000L);
    assertThat(Options.duration("2m")).isEqualTo(120_000_000_000L);
    assertThat(Options.duration("1.5")).isEqualTo(1_500_000_000L);
    assertThat(Report.pct(new long[] {1_000_000, 2_000_000, 3_000_000, 4_000_000}, 50))
        .isEqualTo(2.0);
    assertThat(Report.pct(new long[] {1_000_000, 2_000_000, 3_000_000, 4_000_000}, 99))
        .isEqualTo(4.0);
    assertThat(Report.pct(new long[0], 50)).isEqualTo(-1.0);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> Options.parse(new String[] {"--bogus", "1"}))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> Options.parse(new String[] {"--url", "ftp://127.0.0.1/x"}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
