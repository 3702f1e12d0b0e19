package io.batchwise.internal.scheduler;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One batch as the packer cut it: its items in batch order with, by position, each item's index in
 * the job's input and its result slot, and the batch's summed tokens and bytes. The packer writes
 * the items straight into these arrays, so packing an item makes no object of its own. Only a split
 * item makes an item's slot differ from its index; a batch without one shares one array for both.
 *
 * @param <I> the item type
 */
final class PackedBatch<I> {
  final List<I> items;
  final long[] indexes;

  /** Each item's result slot, by position: the same array as {@link #indexes} when they agree. */
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

    /** Whether an item added since the last build has a slot other than its index. */
    private boolean slotsDiffer;

    /** The most items a batch holds: the arrays grow to it exactly, so a full batch fills them. */
    private final int maxSize;

    /**
     * @param capacity the arrays' first length
     * @param maxSize the most items a batch holds (a batch may still grow past it, copied once
     *     more)
     */
    Builder(int capacity, int maxSize) {
      this.maxSize = maxSize;
      items = new Object[Math.max(1, Math.min(capacity, maxSize))];
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
        int grown = size < maxSize ? Math.min(maxSize, size * 2) : size * 2;
        items = Arrays.copyOf(items, grown);
        indexes = Arrays.copyOf(indexes, grown);
        slots = Arrays.copyOf(slots, grown);
        this.itemTokens = Arrays.copyOf(this.itemTokens, grown);
      }
      items[size] = item;
      indexes[size] = index;
      slots[size] = slot;
      this.itemTokens[size] = itemTokens;
      slotsDiffer |= slot != index;
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
      // an immutable list, which the Batch handed to the agent takes as it is; List.of copies the
      // array, so a batch that filled it is copied once
      List<I> list = (List<I>) List.of(size == items.length ? items : Arrays.copyOf(items, size));
      long[] batchIndexes = Arrays.copyOf(indexes, size);
      PackedBatch<I> batch =
          new PackedBatch<>(
              list,
              batchIndexes,
              slotsDiffer ? Arrays.copyOf(slots, size) : batchIndexes,
              tokens,
              bytes,
              Arrays.copyOf(itemTokens, size));
      Arrays.fill(items, 0, size, null);
      size = 0;
      tokens = 0;
      bytes = 0;
      slotsDiffer = false;
      return batch;
    }
  }
}
