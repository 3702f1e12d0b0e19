package io.batchwise.internal.scheduler;

import io.batchwise.scheduler.RetryPolicy;
import io.batchwise.spi.CallFailedException;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * The wait before a retry: exponential backoff from the {@link RetryPolicy} with jitter, capped at
 * the policy's maximum, and never less than the server's hint. A hint reaches here only when {@link
 * CallFailedException} kept it (at most {@link CallFailedException#MAX_RETRY_AFTER}), so it is
 * honoured even above the policy's maximum, as the OpenAI SDKs honour it; anything else a server
 * sent left the computed backoff alone.
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
   * @param hint the server's retry hint, or null; one that {@link CallFailedException#honoured}
   *     rejects is ignored
   * @return the wait in nanoseconds, at most the larger of the policy's maximum and {@link
   *     CallFailedException#MAX_RETRY_AFTER}
   */
  long waitNanos(int retry, Duration hint) {
    long base = policy.baseBackoff(retry).toNanos();
    // jitter takes up to that fraction off the wait, so clients that failed together spread out
    long jittered = (long) (base * (1 - policy.jitter() * random.getAsDouble()));
    long computed = Math.max(0, Math.min(jittered, policy.maxBackoff().toNanos()));
    return CallFailedException.honoured(hint) ? Math.max(computed, hint.toNanos()) : computed;
  }
}
