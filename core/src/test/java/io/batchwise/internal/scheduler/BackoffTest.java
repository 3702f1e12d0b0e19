package io.batchwise.internal.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.scheduler.RetryPolicy;
import io.batchwise.spi.CallFailedException;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The wait before a retry: computed backoff with jitter, and which server hints override it. */
class BackoffTest {
  private static final RetryPolicy POLICY =
      new RetryPolicy(6, Duration.ofMillis(100), Duration.ofSeconds(2), 3, 0.5);

  @ParameterizedTest(name = "retry {0}, random {1}, hint {2} ms -> {3} ms")
  @CsvSource({
    // retry, random, hint ms (-1 = none), expected ms
    "1, 0.0, -1, 100", // no jitter drawn: the base
    "1, 0.999999, -1, 50", // the most jitter takes half off (jitter 0.5)
    "2, 0.0, -1, 300", // × multiplier 3
    "3, 0.5, -1, 675", // 900 × (1 − 0.25)
    "5, 0.0, -1, 2000", // 8100 capped at maxBackoff
    "1, 0.0, 700, 700", // a longer hint wins
    "3, 0.0, 50, 900", // a shorter hint does not shorten the backoff
    "1, 0.0, 60000, 60000", // a hint of up to a minute is honoured past maxBackoff, as the OpenAI
    // SDKs do
    "1, 0.0, 60001, 100", // a longer hint is not a hint: the computed backoff
    "5, 0.0, 0, 2000", // a zero hint is no hint either
  })
  void waitsExponentiallyWithJitterAndHints(
      int retry, double random, long hintMs, long expectedMs) {
    Backoff backoff = new Backoff(POLICY, () -> random);
    long wait = backoff.waitNanos(retry, hintMs < 0 ? null : Duration.ofMillis(hintMs));
    assertThat(wait / 1_000_000.0).isCloseTo(expectedMs, org.assertj.core.data.Offset.offset(0.01));
  }

  @ParameterizedTest(name = "hint {0}")
  @ValueSource(
      strings = {
        "PT-1S",
        "PT0S",
        "PT60.000000001S",
        "PT99999H",
        "P173075D",
        "PT2562047788015215H30M7.999999999S"
      })
  @DisplayName(
      "a negative, zero, too long or absurd hint never throws and falls back to the computed backoff")
  void absurdHintsFallBack(String hint) {
    Backoff backoff = new Backoff(POLICY, () -> 0.0);
    assertThat(backoff.waitNanos(2, Duration.parse(hint)))
        .isEqualTo(Duration.ofMillis(300).toNanos());
    assertThat(CallFailedException.retryable("429", null, Duration.parse(hint)).retryAfter())
        .isEmpty();
  }

  @Test
  @DisplayName("a failure keeps a hint of (0, 60 s] and reports it")
  void keepsHonouredHints() {
    assertThat(CallFailedException.retryable("429", null, Duration.ofMillis(1)).retryAfter())
        .contains(Duration.ofMillis(1));
    assertThat(
            new CallFailedException("429", null, true, CallFailedException.MAX_RETRY_AFTER, true)
                .retryAfter())
        .contains(Duration.ofSeconds(60));
  }
}
