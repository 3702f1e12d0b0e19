package io.batchwise.internal.scheduler;

/**
 * The scheduler's view of time: a monotonic clock and a way to run something later. Timeouts,
 * backoff waits, rate-limit waits and latencies all go through it, so tests can drive time by hand.
 */
interface TimeSource {

  /**
   * A monotonic reading in nanoseconds, as {@link System#nanoTime()}.
   *
   * @return the current reading
   */
  long nanoTime();

  /**
   * Runs {@code task} once after {@code delayNanos}.
   *
   * @param delayNanos the delay, 0 or more
   * @param task what to run; it must be quick and must not block
   * @return a handle that cancels the task if it has not started
   */
  Cancellable schedule(long delayNanos, Runnable task);

  /** Cancels a scheduled task. */
  @FunctionalInterface
  interface Cancellable {
    /** A handle whose cancel does nothing. */
    Cancellable NONE = () -> {};

    /** Cancels the task if it has not started; does nothing otherwise. */
    void cancel();
  }
}
