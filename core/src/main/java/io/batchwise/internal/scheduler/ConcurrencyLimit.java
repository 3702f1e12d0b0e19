package io.batchwise.internal.scheduler;

/**
 * The number of batches a job may run at once. Fixed, or adaptive (additive increase,
 * multiplicative decrease): halved on a rate limit or a timeout, one more after each success,
 * between 1 and the job's concurrency. Only the first back-off signal from batches started under
 * the same limit halves it, so one burst of 429s halves it once rather than to 1. Not thread-safe:
 * used from a job's drain loop only.
 */
final class ConcurrencyLimit {
  private final int max;
  private final boolean adaptive;
  private int current;
  private long epoch;

  ConcurrencyLimit(int max, boolean adaptive) {
    this.max = max;
    this.adaptive = adaptive;
    this.current = max;
  }

  /**
   * @return how many batches may run now
   */
  int current() {
    return current;
  }

  /**
   * @return the epoch a batch started now belongs to
   */
  long epoch() {
    return epoch;
  }

  /** A batch succeeded: grow by one, up to the maximum. */
  void onSuccess() {
    if (adaptive && current < max) {
      current++;
    }
  }

  /**
   * A batch was rate limited or timed out: halve, once per epoch.
   *
   * @param batchEpoch the epoch when the batch started
   * @return true when the limit changed
   */
  boolean onBackOff(long batchEpoch) {
    if (!adaptive || batchEpoch != epoch) {
      return false;
    }
    epoch++;
    int halved = Math.max(1, current / 2);
    boolean changed = halved != current;
    current = halved;
    return changed;
  }
}
