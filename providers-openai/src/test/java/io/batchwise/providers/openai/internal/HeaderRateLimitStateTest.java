package io.batchwise.providers.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Headers;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Parsing of the reset durations OpenAI sends in {@code x-ratelimit-reset-*}, and the pacing they
 * cause.
 */
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
    assertThat(HeaderRateLimitState.duration(header))
        .isEqualTo(Duration.ofMillis(millis).plusNanos(header.equals("250us") ? 250_000 : 0));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {"soon", "5x", "1s garbage", "-3", "NaN", "Infinity", "1e3", "0x10p0", "-5s"})
  void rejectsUnreadableDurations(String header) {
    assertThat(HeaderRateLimitState.duration(header)).isNull();
  }

  /**
   * A state whose clock the test moves, after one response with {@code reset} and nothing
   * remaining.
   */
  private static HeaderRateLimitState exhausted(AtomicLong now, String reset) {
    HeaderRateLimitState state = new HeaderRateLimitState(0, 0, now::get);
    state.record(
        Headers.of(
            "x-ratelimit-limit-requests",
            "100",
            "x-ratelimit-remaining-requests",
            "0",
            "x-ratelimit-reset-requests",
            reset,
            "x-ratelimit-limit-tokens",
            "1000",
            "x-ratelimit-remaining-tokens",
            "0",
            "x-ratelimit-reset-tokens",
            reset));
    return state;
  }

  @Test
  @DisplayName("holds the next call until a reset of up to 60 s has passed, by the injected clock")
  void pacesByAnHonouredReset() {
    AtomicLong now = new AtomicLong(5_000_000_000L);
    HeaderRateLimitState state = exhausted(now, "30s");
    assertThat(state.reserve(1)).isEqualTo(Duration.ofSeconds(30));
    now.addAndGet(Duration.ofSeconds(10).toNanos());
    assertThat(state.reserve(1)).isEqualTo(Duration.ofSeconds(20));
    now.addAndGet(Duration.ofSeconds(20).toNanos());
    assertThat(state.reserve(1)).isZero();
    assertThat(exhausted(now, "60s").reserve(1)).isEqualTo(Duration.ofSeconds(60));
  }

  @ParameterizedTest(name = "reset {0}")
  @ValueSource(
      strings = {
        "61s",
        "6m0s",
        "99999h",
        "1767225600",
        "99999999999999999999h",
        "999999999999999999999999999999",
        "0s"
      })
  @DisplayName(
      "a reset past 60 s, absurd or zero holds nothing (the scheduler's own backoff and limits apply)")
  void ignoresAnUnhonouredReset(String reset) {
    AtomicLong now = new AtomicLong(5_000_000_000L);
    HeaderRateLimitState state = exhausted(now, reset);
    assertThat(state.latest()).isPresent();
    assertThat(state.reserve(1)).isZero();
    assertThat(state.reserve(Long.MAX_VALUE)).isZero();
  }
}
