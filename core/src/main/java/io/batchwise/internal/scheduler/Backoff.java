package io.batchwise.internal.scheduler;

import io.batchwise.scheduler.RetryPolicy;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * The wait before a retry: exponential backoff from the {@link RetryPolicy} with jitter, never less
 * than the server's hint, never more than the policy's maximum.
 */
final class Backoff {
  private final RetryPolicy policy;
  private final DoubleSupplier random;

  /**
   * @param policy the retry policy
   * @param random uniform numbers in [0, 1) for the jitter
   */
  Backoff(RetryPolicy policy, DoubleSupplier random) {
    this.policy = policy;
    this.random = random;
  }

  /**
   * The wait before retry number {@code retry}.
   *
   * @param retry 1 for the first retry
   * @param hint the server's retry hint, or null
   * @return the wait in nanoseconds
   */
  long waitNanos(int retry, Duration hint) {
    long base = policy.baseBackoff(retry).toNanos();
    // jitter takes up to that fraction off the wait, so clients that failed together spread out
    long jittered = (long) (base * (1 - policy.jitter() * random.getAsDouble()));
    long wait = hint == null ? jittered : Math.max(jittered, hint.toNanos());
    return Math.max(0, Math.min(wait, policy.maxBackoff().toNanos()));
  }
}
