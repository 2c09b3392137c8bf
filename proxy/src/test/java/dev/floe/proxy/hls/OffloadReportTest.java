package dev.floe.proxy.hls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class OffloadReportTest {
  private static OffloadReport parse(String s) throws OffloadReport.Invalid {
    return OffloadReport.parse(s.getBytes(StandardCharsets.UTF_8));
  }

  private static void refused(String s, String why) {
    assertThatThrownBy(() -> parse(s)).as(s).isInstanceOf(OffloadReport.Invalid.class)
        .hasMessageContaining(why);
  }

  @Test
  void aFullReportIsReadExactly() throws Exception {
    OffloadReport r = parse("{\"seconds\":20.5,\"http\":123456,\"p2p\":654321,\"rejected\":2,"
        + "\"offenders\":[\"-PM0100-abcdefghijkl\",\"x\",\"x\"]}");
    assertThat(r.seconds()).isEqualTo(20.5);
    assertThat(r.http()).isEqualTo(123_456);
    assertThat(r.p2p()).isEqualTo(654_321);
    assertThat(r.rejected()).isEqualTo(2);
    assertThat(r.offenders()).containsExactly("-PM0100-abcdefghijkl", "x"); // once each
    OffloadReport least = parse(" {\"seconds\":1} ");
    assertThat(least).isEqualTo(new OffloadReport(1, 0, 0, 0, List.of()));
  }

  @Test
  void boundsAreExactAtTheirEdges() throws Exception {
    assertThat(parse("{\"seconds\":600}").seconds()).isEqualTo(600);
    refused("{\"seconds\":600.001}", "\"seconds\" is 600.001");
    refused("{\"seconds\":0}", "\"seconds\" is 0");
    refused("{\"seconds\":-1}", "\"seconds\"");
    assertThat(parse("{\"seconds\":1,\"p2p\":" + (1L << 50) + "}").p2p()).isEqualTo(1L << 50);
    refused("{\"seconds\":1,\"p2p\":" + ((1L << 50) + 1) + "}", "\"p2p\" is 1125899906842625");
    refused("{\"seconds\":1,\"http\":-1}", "\"http\" is -1");
    refused("{\"seconds\":1,\"http\":99999999999999999999}", "\"http\" is 99999999999999999999");
    refused("{\"seconds\":1,\"http\":1.5}", "\"http\" is not a whole number");
    refused("{\"seconds\":1,\"http\":\"5\"}", "\"http\" is not a whole number");
    assertThat(parse("{\"seconds\":1,\"rejected\":10000}").rejected()).isEqualTo(10_000);
    refused("{\"seconds\":1,\"rejected\":10001}", "\"rejected\" is 10001");
    String eight = "\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\"";
    assertThat(parse("{\"seconds\":1,\"offenders\":[" + eight + "]}").offenders()).hasSize(8);
    refused("{\"seconds\":1,\"offenders\":[" + eight + ",\"i\"]}", "more than 8 offenders");
    String id64 = "p".repeat(64);
    assertThat(parse("{\"seconds\":1,\"offenders\":[\"" + id64 + "\"]}").offenders())
        .containsExactly(id64);
    refused("{\"seconds\":1,\"offenders\":[\"" + id64 + "q\"]}", "not 1 to 64 printable ASCII");
    refused("{\"seconds\":1,\"offenders\":[\"" + id64 + "qq\"]}", "not JSON"); // parser's
    refused("{\"seconds\":1,\"offenders\":[\"\"]}", "printable ASCII");
    refused("{\"seconds\":1,\"offenders\":[\"a b\"]}", "printable ASCII");
    refused("{\"seconds\":1,\"offenders\":[\"caf\u00e9\"]}", "printable ASCII");
    refused("{\"seconds\":1,\"offenders\":[1]}", "something else than strings");
    refused("{\"seconds\":1,\"offenders\":\"a\"}", "\"offenders\" is not an array");
  }

  @Test
  void anythingElseIsRefusedNamingWhat() {
    refused("", "not a JSON object");
    refused("[]", "not a JSON object");
    refused("{", "not JSON");
    refused("{\"http\":1}", "\"seconds\" is missing");
    refused("{\"seconds\":1,\"seconds\":2}", "\"seconds\" given twice");
    refused("{\"seconds\":1,\"bytes\":2}", "unknown key \"bytes\"");
    refused("{\"seconds\":1,\"k\\u0001\":2}", "unknown key \"k?\"");
    refused("{\"seconds\":1} {}", "bytes after the report's object");
    refused("{\"seconds\":1} x", "not JSON");
    refused("{\"seconds\":\"1\"}", "\"seconds\" is not a number");
    refused("{\"seconds\":NaN}", "not JSON");
    refused("{\"seconds\":1,\"offenders\":[[\"a\"]]}", "not JSON"); // nesting past 2
  }

  @Test
  void countsTheStreamCouldNotCarryAreImplausible() throws Exception {
    long rate = 16_000; // 128 kbit/s
    // (20 s + 60 s ahead) * 16000 B/s * 1.5 = 1,920,000 bytes at most
    assertThat(parse("{\"seconds\":20,\"http\":920000,\"p2p\":1000000}").implausible(rate))
        .isNull();
    assertThat(parse("{\"seconds\":20,\"http\":920000,\"p2p\":1000001}").implausible(rate))
        .contains("1920001 bytes (http 920000, p2p 1000001) in 20.0 s");
    assertThat(parse("{\"seconds\":600,\"p2p\":" + (1L << 50) + "}").implausible(rate))
        .isNotNull();
    assertThat(parse("{\"seconds\":10,\"rejected\":70}").implausible(rate)).isNull();
    assertThat(parse("{\"seconds\":10,\"rejected\":71}").implausible(rate))
        .contains("71 rejected segments");
  }
}
