package io.batchwise.internal.scheduler;

import io.batchwise.scheduler.Batch;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One batch of a job from its first attempt to its final outcome, with the attempt now running.
 * Fields other than those of {@link Attempt} are touched only by the job's drain loop.
 *
 * @param <I> the item type
 */
final class BatchRun<I> {
  final List<PackedItem<I>> items;
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

  BatchRun(long sequence, List<PackedItem<I>> items, long tokens, long bytes, long epoch) {
    this.items = items;
    this.tokens = tokens;
    this.bytes = bytes;
    this.epoch = epoch;
    List<I> values = new ArrayList<>(items.size());
    long[] indexes = new long[items.size()];
    for (int i = 0; i < items.size(); i++) {
      values.add(items.get(i).item());
      indexes[i] = items.get(i).index();
    }
    this.batch = new Batch<>(sequence, Collections.unmodifiableList(values), indexes, tokens, 1);
  }

  int size() {
    return items.size();
  }

  String describe() {
    long first = items.get(0).index();
    long last = items.get(items.size() - 1).index();
    return "batch #" + batch.sequence() + " (items " + (first == last ? first : first + ".." + last) + ")";
  }
}
