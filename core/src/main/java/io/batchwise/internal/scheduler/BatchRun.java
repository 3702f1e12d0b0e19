package io.batchwise.internal.scheduler;

import io.batchwise.scheduler.Batch;
import java.util.ArrayList;
import java.util.List;

/**
 * One batch of a job from its first attempt to its final outcome, with the attempt now running.
 * Fields other than those of {@link Attempt} are touched only by the job's drain loop.
 *
 * @param <I> the item type
 */
final class BatchRun<I> {
  final PackedBatch<I> items;
  final long tokens;
  final long bytes;
  final List<Throwable> earlierFailures = new ArrayList<>(1);
  Batch<I> batch;
  long epoch;
  Attempt<I> current;
  TimeSource.Cancellable retryTimer = TimeSource.Cancellable.NONE;
  boolean abandoned;

  /** The current attempt gave back its concurrency slot ({@link Batch#releaseSlot()}). */
  boolean released;

  /** The run holds a permit of the job's shared pool ({@code JobOptions.permits()}). */
  boolean holdsPermit;

  /** A released run's retry that waits for a free slot: its attempt number, else 0. */
  int retryWaitingForSlot;

  BatchRun(long sequence, PackedBatch<I> items, long epoch) {
    this.items = items;
    this.tokens = items.tokens;
    this.bytes = items.bytes;
    this.epoch = epoch;
    this.batch = new Batch<>(sequence, items.items, items.indexes, tokens, 1);
  }

  int size() {
    return items.size();
  }

  String describe() {
    long first = items.indexes[0];
    long last = items.indexes[items.size() - 1];
    return "batch #"
        + batch.sequence()
        + " (items "
        + (first == last ? first : first + ".." + last)
        + ")";
  }
}
