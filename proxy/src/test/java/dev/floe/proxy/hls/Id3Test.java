package dev.floe.proxy.hls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Id3Test {
  private static final byte[] OWNER =
      "com.apple.streaming.transportStreamTimestamp".getBytes(StandardCharsets.ISO_8859_1);

  @Test
  void theTagIsAppleTimestampPrivThenTitleByteForByte() {
    ByteArrayOutputStream want = new ByteArrayOutputStream();
    want.writeBytes(new byte[] {'I', 'D', '3', 4, 0, 0, 0, 0, 0, 77}); // 10 + 53 + 10 + 4
    want.writeBytes(new byte[] {'P', 'R', 'I', 'V', 0, 0, 0, 53, 0, 0});
    want.writeBytes(OWNER);
    want.writeBytes(new byte[] {0, 0, 0, 0, 1, 0x23, 0x45, 0x67, (byte) 0x89});
    want.writeBytes(new byte[] {'T', 'I', 'T', '2', 0, 0, 0, 4, 0, 0});
    want.writeBytes(new byte[] {3, 'H', (byte) 0xC3, (byte) 0xA9}); // UTF-8 "Hé"
    assertThat(Id3.tag(0x1_2345_6789L, "H\u00e9")).isEqualTo(want.toByteArray());
    assertThat(OWNER).hasSize(44);
  }

  @Test
  void withoutATitleOnlyTheTimestamp() {
    byte[] tag = Id3.tag(90_000, "");
    assertThat(tag).hasSize(10 + 10 + 53);
    assertThat(tag[9]).isEqualTo((byte) 63);
    assertThat(java.util.Arrays.copyOfRange(tag, tag.length - 3, tag.length))
        .containsExactly(0x01, 0x5F, (byte) 0x90);
    assertThat(Id3.tag(90_000, null)).isEqualTo(tag);
  }

  @Test
  void timestampsWrapAt33Bits() {
    assertThat(Id3.tag((1L << 33) + 5, null)).isEqualTo(Id3.tag(5, null));
    byte[] max = Id3.tag((1L << 33) - 1, null);
    assertThat(java.util.Arrays.copyOfRange(max, max.length - 8, max.length))
        .containsExactly(0, 0, 0, 1, -1, -1, -1, -1);
  }

  @Test
  void sizesAreSyncsafe() {
    byte[] b = new byte[4];
    Id3.syncsafe(b, 0, 200);
    assertThat(b).containsExactly(0, 0, 1, 72);
    Id3.syncsafe(b, 0, (1 << 28) - 1);
    assertThat(b).containsExactly(0x7F, 0x7F, 0x7F, 0x7F);
    byte[] tag = Id3.tag(0, "x".repeat(300));
    assertThat(tag[8]).isEqualTo((byte) 2); // 10 + 53 + 10 + 301 = 374 = 2 * 128 + 118
    assertThat(tag[9]).isEqualTo((byte) 118);
  }

  @Test
  void longTitlesAreCutOnACharacterBoundary() {
    String title = "a" + "\u00e9".repeat(600); // 1 + 1200 bytes
    byte[] tag = Id3.tag(0, title);
    int textLength = tag.length - 10 - 63 - 10 - 1;
    assertThat(textLength).isEqualTo(1023); // "a" and 511 whole characters
    String back = new String(tag, tag.length - textLength, textLength, StandardCharsets.UTF_8);
    assertThat(title).startsWith(back);
  }
}
