package io.batchwise.scheduler;

import java.time.Duration;
import java.util.Optional;

/**
 * A snapshot of a job's progress. Immutable.
 *
 * @param queued items read from the source but not yet started
 * @param inFlight items whose batch is running (or waiting to be retried)
 * @param succeeded items done with an output
 * @param failed items done with an error
 * @param cancelled items cancelled
 * @param skipped items never sent because a budget ran out
 * @param tokens tokens of the batches started so far
 * @param retries batch retries so far
 * @param elapsed time since the job started
 * @param sourceExhausted whether every item has been read from the source
 * @param totalHint the number of items when the source's size is known, else -1
 */
public record Progress(
    long queued,
    long inFlight,
    long succeeded,
    long failed,
    long cancelled,
    long skipped,
    long tokens,
    long retries,
    Duration elapsed,
    boolean sourceExhausted,
    long totalHint) {

  /**
   * Items finished in any way.
   *
   * @return succeeded + failed + cancelled + skipped
   */
  public long done() {
    return succeeded + failed + cancelled + skipped;
  }

  /**
   * Finished items per second since the start; 0 before any time has passed.
   *
   * @return the rate
   */
  public double itemsPerSecond() {
    double seconds = elapsed.toNanos() / 1e9;
    return seconds <= 0 ? 0 : done() / seconds;
  }

  /**
   * Estimated time to finish at the rate so far; empty while the total is unknown or nothing is
   * done.
   *
   * @return the estimate
   */
  public Optional<Duration> eta() {
    long total = sourceExhausted ? done() + queued + inFlight : totalHint;
    double rate = itemsPerSecond();
    if (total < 0 || rate <= 0) {
      return Optional.empty();
    }
    long remaining = Math.max(0, total - done());
    return Optional.of(Duration.ofMillis((long) (remaining / rate * 1000)));
  }
}
