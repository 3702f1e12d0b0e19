package io.batchwise.scheduler;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One batch handed to an {@link Agent}: items in input order with their input positions, their
 * token count, and which attempt this is. Immutable, apart from {@link #releaseSlot()}, which any
 * thread may call.
 *
 * @param <I> the item type
 */
public final class Batch<I> {
  private final long sequence;
  private final List<I> items;
  private final long[] indexes;
  private final long tokens;
  private final int attempt;
  private final Runnable slotRelease;

  /**
   * Creates a batch.
   *
   * @param sequence the batch's number within its job, from 0
   * @param items the items, at least one
   * @param indexes each item's position in the job's input
   * @param tokens the items' token count as the job's token counter measured it
   * @param attempt 1 for the first try, 2 for the first retry, ...
   */
  public Batch(long sequence, List<I> items, long[] indexes, long tokens, int attempt) {
    this(sequence, items, indexes, tokens, attempt, null);
  }

  /**
   * Creates a batch whose {@link #releaseSlot()} tells its scheduler that the batch no longer needs
   * its concurrency slot.
   *
   * @param sequence the batch's number within its job, from 0
   * @param items the items, at least one
   * @param indexes each item's position in the job's input
   * @param tokens the items' token count as the job's token counter measured it
   * @param attempt 1 for the first try, 2 for the first retry, ...
   * @param slotRelease what {@link #releaseSlot()} runs (the scheduler makes it idempotent), or
   *     null for a batch that holds its slot until it completes
   */
  public Batch(
      long sequence,
      List<I> items,
      long[] indexes,
      long tokens,
      int attempt,
      Runnable slotRelease) {
    this.sequence = sequence;
    this.slotRelease = slotRelease;
    this.items = List.copyOf(Objects.requireNonNull(items, "items"));
    this.indexes = indexes.clone();
    if (this.items.size() != this.indexes.length) {
      throw new IllegalArgumentException(
          "items ("
              + this.items.size()
              + ") and indexes ("
              + this.indexes.length
              + ") differ in size");
    }
    this.tokens = tokens;
    this.attempt = attempt;
  }

  /**
   * The batch's number within its job, from 0.
   *
   * @return the sequence number
   */
  public long sequence() {
    return sequence;
  }

  /**
   * The items in input order.
   *
   * @return an unmodifiable list
   */
  public List<I> items() {
    return items;
  }

  /**
   * The number of items.
   *
   * @return the size
   */
  public int size() {
    return items.size();
  }

  /**
   * The input position of the {@code i}-th item of this batch.
   *
   * @param i an index into {@link #items()}
   * @return its position in the job's input, from 0
   */
  public long index(int i) {
    return indexes[i];
  }

  /**
   * The items' token count.
   *
   * @return the tokens, 0 when the job counts none
   */
  public long tokens() {
    return tokens;
  }

  /**
   * Which attempt this is.
   *
   * @return 1 for the first try
   */
  public int attempt() {
    return attempt;
  }

  /**
   * The same batch for its next attempt; it holds its slot until it completes.
   *
   * @return a copy with {@link #attempt()} one higher
   */
  public Batch<I> nextAttempt() {
    return new Batch<>(this, attempt + 1, null);
  }

  /**
   * The same batch with another slot release.
   *
   * @param release what {@link #releaseSlot()} runs, or null
   * @return a copy that differs only in its slot release
   */
  public Batch<I> withSlotRelease(Runnable release) {
    return new Batch<>(this, attempt, release);
  }

  /**
   * A copy sharing the already checked, immutable items and indexes (a scheduler makes one per
   * attempt).
   */
  private Batch(Batch<I> of, int attempt, Runnable slotRelease) {
    this.sequence = of.sequence;
    this.items = of.items;
    this.indexes = of.indexes;
    this.tokens = of.tokens;
    this.attempt = attempt;
    this.slotRelease = slotRelease;
  }

  /**
   * Tells the scheduler that this batch's remote work is done — the service has answered — and what
   * is left is local (reading and decoding the answer), so the batch's concurrency slot may start
   * the next batch now instead of when this one's stage completes. The batch still counts toward
   * the in-flight item and byte limits, its timeout still runs, and its outcome is still the
   * stage's; should it fail and be retried, the retry waits for a free slot like a new batch. At
   * most as many batches as the concurrency limit hold a released slot at once, so at most twice
   * the limit run; a release beyond that takes effect when a released batch finishes. Any thread;
   * only the first call has an effect, and none once the attempt has ended. A batch made without a
   * slot release (a scheduler that does not support it) ignores the call.
   */
  public void releaseSlot() {
    if (slotRelease != null) {
      slotRelease.run();
    }
  }

  @Override
  public String toString() {
    return "Batch{#"
        + sequence
        + ", items="
        + items.size()
        + ", indexes="
        + (indexes.length <= 8
            ? Arrays.toString(indexes)
            : indexes[0] + ".." + indexes[indexes.length - 1])
        + ", tokens="
        + tokens
        + ", attempt="
        + attempt
        + "}";
  }
}
