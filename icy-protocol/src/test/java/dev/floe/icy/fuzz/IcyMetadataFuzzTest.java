package dev.floe.icy.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.floe.icy.meta.IcyMetadata;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link IcyMetadata#parse(byte[], int, int)} on hostile block payloads, then the encoded block:
 * never an exception; the block is well-formed (length byte, at most {@link
 * IcyMetadata#MAX_PAYLOAD} bytes of valid UTF-8, NUL padding); parsing the block gives the same
 * metadata back, unless a value holds {@code ';} (Icecast does not escape, so such a value cannot
 * survive) or the text was too long and was cut, in which case the fields that come back are a
 * prefix of the original ones.
 */
class IcyMetadataFuzzTest {

  @FuzzTest(maxDuration = "5s")
  void parseAndEncode(FuzzedDataProvider data) {
    byte[] payload = data.consumeRemainingAsBytes();
    IcyMetadata m = IcyMetadata.parse(payload, 0, payload.length);
    assertThat(m.fields()).isNotEmpty();

    byte[] block = m.block();
    int units = block[0] & 0xFF;
    assertThat(block.length).isEqualTo(1 + 16 * units);
    int end = block.length;
    while (end > 1 && block[end - 1] == 0) {
      end--;
    }
    assertThat(end - 1).isLessThanOrEqualTo(IcyMetadata.MAX_PAYLOAD);
    assertThat(block.length - end).isLessThan(16);
    String text = strictUtf8(block, 1, end - 1);

    IcyMetadata back = IcyMetadata.parse(block, 1, block.length - 1);
    boolean ambiguous = m.fields().values().stream().anyMatch(v -> v.contains("';"));
    boolean cut = m.text().getBytes(StandardCharsets.UTF_8).length > IcyMetadata.MAX_PAYLOAD;
    if (!ambiguous && !cut) {
      assertThat(text).isEqualTo(m.text());
      assertThat(back).isEqualTo(m);
    } else if (!ambiguous) {
      assertPrefix(back.fields(), m.fields());
    }
  }

  private static String strictUtf8(byte[] b, int off, int len) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b, off, len)).toString();
    } catch (CharacterCodingException e) {
      throw new AssertionError("block is not valid UTF-8", e);
    }
  }

  /** Keys of {@code got} are the first keys of {@code full}; all values equal but the last. */
  private static void assertPrefix(Map<String, String> got, Map<String, String> full) {
    List<Map.Entry<String, String>> g = new ArrayList<>(got.entrySet());
    List<Map.Entry<String, String>> f = new ArrayList<>(full.entrySet());
    if (g.size() == 1 && g.get(0).getKey().equals("StreamTitle") && !full.containsKey("StreamTitle")
        || f.isEmpty()) {
      return; // not even the first name fitted: a plain cut, read back as a title
    }
    assertThat(g.size()).isBetween(1, f.size());
    for (int i = 0; i < g.size(); i++) {
      assertThat(g.get(i).getKey()).isEqualTo(f.get(i).getKey());
      if (i < g.size() - 1) {
        assertThat(g.get(i).getValue()).isEqualTo(f.get(i).getValue());
      } else {
        assertThat(f.get(i).getValue()).startsWith(g.get(i).getValue());
      }
    }
  }
}
