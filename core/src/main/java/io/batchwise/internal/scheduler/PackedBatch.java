package io.batchwise.internal.scheduler;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One batch as the packer cut it: its items in batch order with, by position, each item's index in
 * the job's input and its result slot, and the batch's summed tokens and bytes. The packer writes
 * the items straight into these arrays, so packing an item makes no object of its own.
 *
 * @param <I> the item type
 */
final class PackedBatch<I> {
  final List<I> items;
  final long[] indexes;
  final long[] slots;
  final long tokens;
  final long bytes;

  /** Each item's tokens, by position. */
  final long[] itemTokens;

  private PackedBatch(
      List<I> items, long[] indexes, long[] slots, long tokens, long bytes, long[] itemTokens) {
    this.items = items;
    this.indexes = indexes;
    this.slots = slots;
    this.tokens = tokens;
    this.bytes = bytes;
    this.itemTokens = itemTokens;
  }

  int size() {
    return indexes.length;
  }

  /**
   * The batch's items one by one, for the rare paths that handle items alone (a stop, a budget).
   *
   * @return one packed item per position, in batch order
   */
  List<PackedItem<I>> toItems() {
    List<PackedItem<I>> out = new ArrayList<>(size());
    for (int i = 0; i < size(); i++) {
      out.add(new PackedItem<>(indexes[i], slots[i], items.get(i), itemTokens[i], 0));
    }
    return out;
  }

  /** Collects a batch item by item; not thread-safe. */
  static final class Builder<I> {
    private Object[] items;
    private long[] indexes;
    private long[] slots;
    private long[] itemTokens;
    private int size;
    private long tokens;
    private long bytes;

    Builder(int capacity) {
      items = new Object[Math.max(1, capacity)];
      indexes = new long[items.length];
      slots = new long[items.length];
      itemTokens = new long[items.length];
    }

    int size() {
      return size;
    }

    long tokens() {
      return tokens;
    }

    void add(long index, long slot, I item, long itemTokens, long itemBytes) {
      if (size == items.length) {
        int grown = size * 2;
        items = Arrays.copyOf(items, grown);
        indexes = Arrays.copyOf(indexes, grown);
        slots = Arrays.copyOf(slots, grown);
        this.itemTokens = Arrays.copyOf(this.itemTokens, grown);
      }
      items[size] = item;
      indexes[size] = index;
      slots[size] = slot;
      this.itemTokens[size] = itemTokens;
      size++;
      tokens += itemTokens;
      bytes += itemBytes;
    }

    void add(PackedItem<I> p) {
      add(p.index(), p.slot(), p.item(), p.tokens(), p.bytes());
    }

    /**
     * The batch collected so far; the builder is then empty.
     *
     * @return the batch, or null when nothing was added
     */
    @SuppressWarnings("unchecked")
    PackedBatch<I> build() {
      if (size == 0) {
        return null;
      }
      // an immutable list, which the Batch handed to the agent takes as it is
      List<I> list = (List<I>) List.of(Arrays.copyOf(items, size));
      PackedBatch<I> batch =
          new PackedBatch<>(
              list,
              Arrays.copyOf(indexes, size),
              Arrays.copyOf(slots, size),
              tokens,
              bytes,
              Arrays.copyOf(itemTokens, size));
      Arrays.fill(items, 0, size, null);
      size = 0;
      tokens = 0;
      bytes = 0;
      return batch;
    }
  }
}
