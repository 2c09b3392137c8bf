package dev.floe.buffer.frame;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContentKindTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "audio/mpeg|MPEG",
        "audio/mp3|MPEG",
        "audio/aac|MPEG",
        "audio/aacp|MPEG",
        "audio/x-aac|MPEG",
        "AUDIO/MPEG; charset=UTF-8|MPEG",
        " audio/aacp ;foo=bar|MPEG",
        "application/ogg|OGG",
        "audio/ogg|OGG",
        "audio/opus|OGG",
        "video/ogg|OGG",
        "Audio/Ogg;codecs=opus|OGG",
        "audio/flac|OTHER",
        "audio/mpegurl|OTHER",
        "text/html|OTHER",
        "''|OTHER",
      })
  void mapsContentTypes(String type, ContentKind kind) {
    assertThat(ContentKind.of(type)).isEqualTo(kind);
  }

  @org.junit.jupiter.api.Test
  void nullIsOther() {
    assertThat(ContentKind.of(null)).isEqualTo(ContentKind.OTHER);
  }
}
