package io.batchwise.scheduler;

import java.time.Duration;

/**
 * How the scheduler retries a batch whose failure is retryable: exponential backoff with jitter,
 * never sooner than a server's retry hint that {@link io.batchwise.spi.CallFailedException} kept
 * (at most {@link io.batchwise.spi.CallFailedException#MAX_RETRY_AFTER}). Immutable.
 *
 * @param maxAttempts total tries including the first, at least 1 (1 = no retries)
 * @param initialBackoff the wait before the first retry
 * @param maxBackoff the longest computed wait between tries; a server's hint of at most {@link
 *     io.batchwise.spi.CallFailedException#MAX_RETRY_AFTER} is honoured even when longer
 * @param multiplier growth of the wait per retry, at least 1
 * @param jitter the fraction of each wait chosen at random, in [0, 1], so clients do not retry in
 *     step
 */
public record RetryPolicy(
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    double multiplier,
    double jitter) {

  /** Defaults: 4 attempts, 500 ms doubling to at most 30 s, 20% jitter. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(4, Duration.ofMillis(500), Duration.ofSeconds(30), 2.0, 0.2);

  /** No retries: every failure is final. */
  public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 1.0, 0.0);

  /** Checks the ranges and names the field at fault. */
  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException(
          "maxAttempts was " + maxAttempts + "; it must be at least 1");
    }
    if (initialBackoff.isNegative() || maxBackoff.isNegative()) {
      throw new IllegalArgumentException("backoff durations must not be negative");
    }
    if (multiplier < 1) {
      throw new IllegalArgumentException(
          "multiplier was " + multiplier + "; it must be at least 1");
    }
    if (jitter < 0 || jitter > 1) {
      throw new IllegalArgumentException("jitter was " + jitter + "; it must be in [0, 1]");
    }
  }

  /**
   * The wait before retry number {@code retry} (1 for the first retry) without jitter or hints.
   *
   * @param retry the retry number, from 1
   * @return the base backoff, capped at {@link #maxBackoff()}
   */
  public Duration baseBackoff(int retry) {
    double nanos = initialBackoff.toNanos() * Math.pow(multiplier, Math.max(0, retry - 1));
    return Duration.ofNanos((long) Math.min(nanos, maxBackoff.toNanos()));
  }
}
