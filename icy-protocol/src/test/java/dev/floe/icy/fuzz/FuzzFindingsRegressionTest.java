package dev.floe.icy.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.icy.head.HeadException;
import dev.floe.icy.head.ResponseHeadDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Plain regression tests for what the fuzz targets found, so that each finding stays checked
 * whatever Jazzer's mode. The raw inputs are in the seed corpus as {@code crash-*} files.
 */
class FuzzFindingsRegressionTest {

  /**
   * Found by {@link ResponseHeadDecoderFuzzTest} ({@code crash-status-000-three-digits-below-100}):
   * a status of three digits below 100 passes the start-line check, then {@code ResponseHead}'s
   * constructor throws {@link IllegalArgumentException} out of {@code decode} when the head ends.
   * The decoder's contract is a head, null or {@link HeadException}: a malformed start line.
   */
  @ParameterizedTest
  @ValueSource(strings = {"ICY 003 HK\r\n\n", "HTTP/1.0 000 x\r\n\r\n", "HTTP/1.1 099\r\nA: b\r\n\r\n"})
  void statusBelow100IsAMalformedStartLine(String head) {
    byte[] bytes = head.getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> new ResponseHeadDecoder().decode(ByteBuffer.wrap(bytes)))
        .isInstanceOfSatisfying(HeadException.class,
            e -> assertThat(e.kind())
                .isEqualTo(HeadException.Kind.MALFORMED_START_LINE));
  }
}
