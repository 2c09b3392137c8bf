package dev.floe.swarm.join;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.swarm.chunk.ChannelKey;
import dev.floe.swarm.chunk.OriginKey;
import org.junit.jupiter.api.Test;

class JoinAddressTest {
  private static final ChannelKey KEY = OriginKey.generate().channelKey();

  @Test
  void parsesAndFormatsTheCopyableForm() {
    String text = "http://origin.example:8000/live.mp3#floe=" + KEY;
    JoinAddress a = JoinAddress.parse(text);
    assertThat(a).isEqualTo(new JoinAddress(false, "origin.example", 8000, "/live.mp3", KEY));
    assertThat(a.toString()).isEqualTo(text);
    assertThat(a.streamUri().toString()).isEqualTo("http://origin.example:8000/live.mp3");
    assertThat(JoinAddress.parse(a.toString())).isEqualTo(a);
  }

  @Test
  void defaultPortsIpv6AndUpperCaseKeys() {
    JoinAddress a = JoinAddress.parse("https://radio.example/stream#floe="
        + KEY.toString().toUpperCase());
    assertThat(a.https()).isTrue();
    assertThat(a.port()).isEqualTo(443);
    assertThat(a.channel()).isEqualTo(KEY);
    assertThat(a.toString()).isEqualTo("https://radio.example/stream#floe=" + KEY);
    assertThat(JoinAddress.parse("http://radio.example/s#floe=" + KEY).port()).isEqualTo(80);
    JoinAddress v6 = JoinAddress.parse("http://[2001:db8::1]:8000/live#floe=" + KEY);
    assertThat(v6.host()).isEqualTo("[2001:db8::1]");
    assertThat(JoinAddress.parse(v6.toString())).isEqualTo(v6);
  }

  @Test
  void badAddressesSayWhatIsWrong() {
    String k = KEY.toString();
    bad("ftp://h/live#floe=" + k, "must start with http:// or https://");
    bad("origin.example:8000/live#floe=" + k, "must start with http");
    bad("http:///live#floe=" + k, "has no host");
    bad("http://h:8000#floe=" + k, "has no mount path");
    bad("http://h:8000/#floe=" + k, "has no mount path");
    bad("http://h:8000/live?x=1#floe=" + k, "must not have a query");
    bad("http://h:8000/live", "has no '#floe=<channel key>'");
    bad("http://h:8000/live#key=" + k, "has no '#floe=<channel key>'");
    bad("http://h:8000/live#floe=" + k.substring(2), "52 base32 characters (a-z, 2-7), got 50");
    bad("http://h:8000/live#floe=0" + k.substring(1), "bad base32 character '0' at index 0");
    bad("http://h 1/live#floe=" + k, "is not a URL");
  }

  private static void bad(String text, String message) {
    assertThatThrownBy(() -> JoinAddress.parse(text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message).hasMessageContaining("expected http://host:port/mount");
  }
}
