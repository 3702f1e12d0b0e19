package io.batchwise.internal.scheduler;

/**
 * The number of items per batch under adaptive batch sizing: after each successful batch, the size
 * moves toward the one whose latency would meet the target, assuming latency grows in proportion to
 * size, by at most a factor of two per step, between 1 and the job's maxItems. Only full batches
 * can grow it (a short last batch says nothing about larger ones). Without a target the size stays
 * at maxItems. Not thread-safe: used from a job's drain loop only.
 */
final class BatchSizer {
  private final int maxItems;
  private final long targetNanos;
  private int current;

  BatchSizer(int maxItems, long targetNanos) {
    this.maxItems = maxItems;
    this.targetNanos = targetNanos;
    this.current = maxItems;
  }

  /**
   * @return items the next batch may hold
   */
  int current() {
    return current;
  }

  /**
   * A batch of {@code size} items succeeded after {@code latencyNanos}.
   *
   * @param size its items
   * @param latencyNanos its latency
   */
  void onSuccess(int size, long latencyNanos) {
    if (targetNanos <= 0 || size <= 0) {
      return;
    }
    double ideal =
        latencyNanos <= 0 ? Double.MAX_VALUE : size * (double) targetNanos / latencyNanos;
    int proposed = (int) Math.max(1, Math.min(maxItems, Math.floor(ideal)));
    if (proposed > current && size < current) {
      return;
    }
    int lower = Math.max(1, current / 2);
    int upper = (int) Math.min(maxItems, current * 2L);
    current = Math.max(lower, Math.min(upper, proposed));
  }
}
