package io.batchwise.providers.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing of the reset durations OpenAI sends in {@code x-ratelimit-reset-*}. */
class HeaderRateLimitStateTest {

  @ParameterizedTest(name = "{0} = {1} ms")
  @CsvSource({
    "1s, 1000",
    "6m0s, 360000",
    "20ms, 20",
    "1h2m3.5s, 3723500",
    "0.5, 500",
    "17, 17000",
    "250us, 0",
    "59.999s, 59999"
  })
  void parsesResetDurations(String header, long millis) {
    assertThat(HeaderRateLimitState.duration(header)).isEqualTo(Duration.ofMillis(millis).plusNanos(header.equals("250us") ? 250_000 : 0));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"soon", "5x", "1s garbage", "-3"})
  void rejectsUnreadableDurations(String header) {
    assertThat(HeaderRateLimitState.duration(header)).isNull();
  }
}
