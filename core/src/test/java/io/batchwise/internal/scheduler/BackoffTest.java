package io.batchwise.internal.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.scheduler.RetryPolicy;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffTest {
  private static final RetryPolicy POLICY =
      new RetryPolicy(6, Duration.ofMillis(100), Duration.ofSeconds(2), 3, 0.5);

  @ParameterizedTest(name = "retry {0}, random {1}, hint {2} ms -> {3} ms")
  @CsvSource({
      // retry, random, hint ms (-1 = none), expected ms
      "1, 0.0, -1, 100",     // no jitter drawn: the base
      "1, 0.999999, -1, 50", // the most jitter takes half off (jitter 0.5)
      "2, 0.0, -1, 300",     // × multiplier 3
      "3, 0.5, -1, 675",     // 900 × (1 − 0.25)
      "5, 0.0, -1, 2000",    // 8100 capped at maxBackoff
      "1, 0.0, 700, 700",    // a longer hint wins
      "3, 0.0, 50, 900",     // a shorter hint does not shorten the backoff
      "1, 0.0, 60000, 2000", // hints are capped at maxBackoff too
  })
  void waitsExponentiallyWithJitterAndHints(int retry, double random, long hintMs, long expectedMs) {
    Backoff backoff = new Backoff(POLICY, () -> random);
    long wait = backoff.waitNanos(retry, hintMs < 0 ? null : Duration.ofMillis(hintMs));
    assertThat(wait / 1_000_000.0).isCloseTo(expectedMs, org.assertj.core.data.Offset.offset(0.01));
  }
}
