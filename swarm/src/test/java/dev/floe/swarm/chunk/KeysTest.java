package dev.floe.swarm.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysTest {
  @TempDir
  Path dir;

  @Test
  void keyFileIsCreatedWithMode0600AndReadBack() throws IOException {
    Path file = dir.resolve("origin.key");
    OriginKey created = OriginKey.loadOrCreate(file);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    OriginKey again = OriginKey.loadOrCreate(file);
    assertThat(again.channelKey()).isEqualTo(created.channelKey());
    byte[] m = "x".getBytes();
    assertThat(created.channelKey().verifies(m, again.sign(m))).isTrue();
    assertThat(Files.readString(file)).contains("channel=" + created.channelKey());
    assertThat(created.toString()).doesNotContain("private");
  }

  @Test
  void keyFileReadableByOthersIsRefusedNamingTheFile() throws IOException {
    Path file = dir.resolve("origin.key");
    OriginKey.loadOrCreate(file);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> OriginKey.loadOrCreate(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("rw-r--r--");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw--w----"));
    assertThatThrownBy(() -> OriginKey.load(file)).hasMessageContaining(file.toString());
  }

  @Test
  void mismatchedOrBrokenKeyFileIsRefused() throws IOException {
    Path file = dir.resolve("origin.key");
    OriginKey.loadOrCreate(file);
    String other = "channel=" + OriginKey.generate().channelKey();
    Files.writeString(file, Files.readString(file).replaceFirst("channel=.*", other));
    assertThatThrownBy(() -> OriginKey.load(file))
        .hasMessageContaining(file.toString()).hasMessageContaining("does not match");
    Files.writeString(file, "private=AAAA\n");
    assertThatThrownBy(() -> OriginKey.load(file)).hasMessageContaining("lacks");
  }

  @Test
  void channelKeyTextRoundTripsAndBadTextIsExplained() {
    ChannelKey k = OriginKey.generate().channelKey();
    String text = k.toString();
    assertThat(text).hasSize(ChannelKey.TEXT_LENGTH).matches("[a-z2-7]+");
    assertThat(ChannelKey.parse(text)).isEqualTo(k);
    assertThat(ChannelKey.parse(text.toUpperCase())).isEqualTo(k);
    assertThat(ChannelKey.of(k.raw())).isEqualTo(k);
    assertThatThrownBy(() -> ChannelKey.parse(text.substring(1)))
        .hasMessageContaining("52 base32 characters").hasMessageContaining("got 51");
    assertThatThrownBy(() -> ChannelKey.parse("1" + text.substring(1)))
        .hasMessageContaining("'1' at index 0");
    // The last character carries 1 bit and 4 padding bits that must be zero.
    assertThat(text.charAt(51)).isIn('a', 'q');
    String bad = text.substring(0, 51) + (char) (text.charAt(51) + 1);
    assertThatThrownBy(() -> ChannelKey.parse(bad)).hasMessageContaining("padding bits");
    assertThatThrownBy(() -> ChannelKey.of(new byte[31])).hasMessageContaining("32 bytes");
  }

  @Test
  void base32MatchesRfc4648Vectors() {
    assertThat(Base32.encode("foobar".getBytes())).isEqualTo("mzxw6ytboi");
    assertThat(new String(Base32.decode("MZXW6YTBOI", 6))).isEqualTo("foobar");
  }
}
