package io.batchwise.internal.scheduler;

import io.batchwise.scheduler.ItemResult;
import io.batchwise.scheduler.ItemStatus;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * A job's results by result slot, kept per batch: a finished batch is stored once (its items,
 * status, outputs, failure and attempts) and each of its slots points at it, so retaining a result
 * costs a reference (and a position, for a batch whose slots do not run on without a gap, as a
 * length-sorted batch's do not), not an object per item. An {@link ItemResult} is made when it is
 * read. An item that finished alone (rejected, skipped, cancelled before its batch) is kept as its
 * result. Written only by the job's drain loop, read after the job completes (the completion orders
 * the writes before the reads). A slot never given a result reads as null.
 *
 * @param <I> the item type
 * @param <O> the output type
 */
final class RetainedResults<I, O> extends AbstractList<ItemResult<I, O>> implements RandomAccess {

  /**
   * One finished batch, shared by the slots of its items; {@code firstSlot} is the slot of its
   * first item when its slots run on without a gap (then an item's position is its slot's distance
   * from it), else -1 (then {@link #positions} holds each one's).
   */
  private record Finished<I, O>(
      PackedBatch<I> items,
      ItemStatus status,
      List<O> outputs,
      Throwable error,
      int attempts,
      long firstSlot) {
    ItemResult<I, O> result(int position) {
      return new ItemResult<>(
          items.indexes[position],
          items.items.get(position),
          status,
          outputs == null ? null : outputs.get(position),
          error,
          attempts);
    }
  }

  /** By slot: a {@link Finished} batch or an {@link ItemResult}. */
  private Object[] owners;

  /**
   * By slot: the item's position in its {@link Finished} batch, for batches whose slots have gaps
   * or run out of order (length-sorted, or with split items); null until there is one.
   */
  private int[] positions;

  private int size;

  /**
   * @param expected the number of results expected (a hint; the list grows past it)
   */
  RetainedResults(int expected) {
    owners = new Object[Math.max(10, expected)];
  }

  /**
   * Keeps the results of a finished batch.
   *
   * @param items its items
   * @param status their status
   * @param outputs their outputs by position, or null
   * @param error their failure, or null
   * @param attempts the attempts made
   */
  void batch(
      PackedBatch<I> items, ItemStatus status, List<O> outputs, Throwable error, int attempts) {
    long first = items.slots[0];
    boolean consecutive = true;
    for (int i = 1; i < items.size() && consecutive; i++) {
      consecutive = items.slots[i] == first + i;
    }
    Finished<I, O> finished =
        new Finished<>(items, status, outputs, error, attempts, consecutive ? first : -1);
    for (int i = 0; i < items.size(); i++) {
      int slot = reserve(items.slots[i]);
      owners[slot] = finished;
      if (!consecutive) {
        if (positions == null) {
          positions = new int[owners.length];
        }
        positions[slot] = i;
      }
    }
  }

  /**
   * Keeps the result of an item that finished alone.
   *
   * @param slot its result slot
   * @param result its result
   */
  void item(long slot, ItemResult<I, O> result) {
    owners[reserve(slot)] = result;
  }

  private int reserve(long slot) {
    int at = Math.toIntExact(slot);
    if (at >= owners.length) {
      int grown = Math.max(at + 1, owners.length * 2);
      owners = Arrays.copyOf(owners, grown);
      if (positions != null) {
        positions = Arrays.copyOf(positions, grown);
      }
    }
    size = Math.max(size, at + 1);
    return at;
  }

  @Override
  @SuppressWarnings("unchecked")
  public ItemResult<I, O> get(int slot) {
    if (slot < 0 || slot >= size) {
      throw new IndexOutOfBoundsException("slot " + slot + " of " + size);
    }
    Object owner = owners[slot];
    if (owner instanceof Finished<?, ?> finished) {
      long first = finished.firstSlot();
      return ((Finished<I, O>) finished)
          .result(first >= 0 ? (int) (slot - first) : positions[slot]);
    }
    return (ItemResult<I, O>) owner;
  }

  @Override
  public int size() {
    return size;
  }
}
