package io.batchwise.scheduler;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * A running job: its completion, its results as they complete, its progress, and cancellation.
 *
 * <pre>{@code
 * Job<String, Summary> job = scheduler.submit(documents, summarizer, JobOptions.<String>builder().build());
 * job.results().subscribe(subscriber);              // each item as it finishes
 * JobResult<String, Summary> done = job.completion().join();
 * }</pre>
 *
 * @param <I> the item type
 * @param <O> the output type
 */
public interface Job<I, O> {

  /**
   * Completes when every item has a result (or the job stopped early); never completes
   * exceptionally for a failed item — failures are per item.
   *
   * @return the completion
   */
  CompletableFuture<JobResult<I, O>> completion();

  /**
   * Every item's result as soon as it is final, in completion order. Each subscriber receives the
   * results from the moment it subscribes, then {@code onComplete}.
   *
   * @return the publisher
   */
  Flow.Publisher<ItemResult<I, O>> results();

  /**
   * A snapshot of the job's progress.
   *
   * @return the progress
   */
  Progress progress();

  /**
   * Stops reading the source, cancels batches not yet finished (their items end {@code CANCELLED})
   * and completes the job. Results already final are kept.
   *
   * @return true when this call cancelled the job, false when it had already finished
   */
  boolean cancel();
}
