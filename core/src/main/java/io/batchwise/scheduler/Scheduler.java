package io.batchwise.scheduler;

import java.util.Iterator;

/**
 * Runs jobs: a stream of items through an {@link Agent} in token-aware batches, with bounded
 * concurrency, timeouts, retries, error isolation, backpressure, progress and cancellation.
 *
 * <p>The scheduler is the one place where retries happen. Items are pulled from the source only as
 * capacity frees, so a source need never be materialized. Thread-safe.
 *
 * <pre>{@code
 * try (Batchwise bw = Batchwise.builder().build()) {
 *   Job<String, String> job = bw.scheduler().submit(List.of("a", "b"), agent, JobOptions.defaults());
 *   job.completion().join().outputs();
 * }
 * }</pre>
 */
public interface Scheduler extends AutoCloseable {

  /**
   * Starts a job over {@code items}.
   *
   * @param items the source, read lazily from the scheduler's threads; it must not be used
   *     elsewhere while the job runs
   * @param agent the function of a batch
   * @param options packing, concurrency, timeouts, retries and budgets
   * @param <I> the item type
   * @param <O> the output type
   * @return the running job
   * @throws IllegalStateException when the scheduler is closed
   */
  <I, O> Job<I, O> submit(
      Iterator<? extends I> items, Agent<? super I, O> agent, JobOptions<? super I> options);

  /**
   * Starts a job over a collection or any other iterable; see {@link #submit(Iterator, Agent,
   * JobOptions)}.
   *
   * @param items the items
   * @param agent the function of a batch
   * @param options the options
   * @param <I> the item type
   * @param <O> the output type
   * @return the running job
   */
  default <I, O> Job<I, O> submit(
      Iterable<? extends I> items, Agent<? super I, O> agent, JobOptions<? super I> options) {
    return submit(items.iterator(), agent, options);
  }

  /**
   * Stops accepting jobs, then finishes or cancels running ones as configured, and stops every
   * thread the scheduler started.
   */
  @Override
  void close();
}
