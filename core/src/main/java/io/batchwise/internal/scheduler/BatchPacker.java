package io.batchwise.internal.scheduler;

import io.batchwise.scheduler.JobOptions;
import io.batchwise.scheduler.OversizePolicy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Reads a job's source lazily and packs its items greedily into batches of at most {@code maxItems}
 * items and {@code maxTokens} tokens, in input order.
 *
 * <p>An item over {@code maxTokens} but within the context window makes a batch of its own. An item
 * over the window fails alone ({@link OversizePolicy#FAIL}) or is split into pieces that are packed
 * as separate items sharing its index ({@link OversizePolicy#SPLIT}). Items whose token counter or
 * weigher throws fail alone. At most one batch of items plus one look-ahead item (or the pieces of
 * one split item) are held, so the source is never materialized. Not thread-safe: the job's drain
 * loop is its only user.
 *
 * @param <I> the item type
 */
final class BatchPacker<I> {

  /** Receives the items that fail before they reach a batch. */
  interface Rejects<I> {
    void reject(PackedItem<I> item, Throwable error);
  }

  private final Iterator<? extends I> source;
  private final ToLongFunction<? super I> tokenCounter;
  private final ToLongFunction<? super I> byteWeigher;
  private final long maxTokens;
  private final long contextWindow;
  private final OversizePolicy oversizePolicy;
  private final Function<? super I, ? extends List<? extends I>> splitter;
  private final Rejects<I> rejects;
  private final ArrayDeque<PackedItem<I>> pending = new ArrayDeque<>();
  private long nextIndex;
  private long nextSlot;
  private boolean sourceExhausted;
  private boolean stopped;
  private RuntimeException sourceFailure;

  BatchPacker(Iterator<? extends I> source, JobOptions<I> options, Rejects<I> rejects) {
    this.source = source;
    this.tokenCounter = options.tokenCounter();
    this.byteWeigher = options.byteWeigher();
    this.maxTokens = options.maxTokens();
    this.contextWindow = options.contextWindow();
    this.oversizePolicy = options.oversizePolicy();
    this.splitter = options.splitter();
    this.rejects = rejects;
  }

  /**
   * The next batch, in input order.
   *
   * @param maxItems the most items it may hold now (the adaptive size, at most the job's maxItems)
   * @return the batch, or null when nothing is left to read
   */
  List<PackedItem<I>> next(int maxItems) {
    List<PackedItem<I>> batch = new ArrayList<>(Math.min(maxItems, 64));
    long tokens = 0;
    while (batch.size() < maxItems) {
      PackedItem<I> p = read();
      if (p == null) {
        break;
      }
      if (p.tokens() > maxTokens) {
        if (batch.isEmpty()) {
          batch.add(p); // within the window but over the batch limit: alone
        } else {
          pending.addFirst(p);
        }
        break;
      }
      if (tokens + p.tokens() > maxTokens) {
        pending.addFirst(p);
        break;
      }
      batch.add(p);
      tokens += p.tokens();
    }
    return batch.isEmpty() ? null : batch;
  }

  /** Stops reading the source; items already read stay available through {@link #drainPending()}. */
  void stop() {
    stopped = true;
  }

  /**
   * Removes the items read but not yet packed.
   *
   * @return them, in input order
   */
  List<PackedItem<I>> drainPending() {
    List<PackedItem<I>> out = new ArrayList<>(pending);
    pending.clear();
    return out;
  }

  /** @return items read but not yet packed */
  int pendingCount() {
    return pending.size();
  }

  /** @return true when the source said it has no more items */
  boolean sourceExhausted() {
    return sourceExhausted;
  }

  /** @return true when nothing more will come from {@link #next(int)} */
  boolean finished() {
    return pending.isEmpty() && (sourceExhausted || stopped || sourceFailure != null);
  }

  /** @return the exception the source threw, or null */
  RuntimeException sourceFailure() {
    return sourceFailure;
  }

  /** @return the number of items read from the source */
  long itemsRead() {
    return nextIndex;
  }

  private PackedItem<I> read() {
    if (!pending.isEmpty()) {
      return pending.poll();
    }
    while (!sourceExhausted && !stopped && sourceFailure == null) {
      I item;
      try {
        if (!source.hasNext()) {
          sourceExhausted = true;
          return null;
        }
        item = source.next();
      } catch (RuntimeException e) {
        sourceFailure = e;
        return null;
      }
      long index = nextIndex++;
      PackedItem<I> measured = measure(index, item);
      if (measured == null) {
        continue; // failed alone
      }
      if (measured.tokens() <= contextWindow) {
        return measured;
      }
      if (oversizePolicy == OversizePolicy.FAIL || splitter == null) {
        rejects.reject(
            measured,
            new IllegalArgumentException(
                "item " + index + " has " + measured.tokens() + " tokens, over the context window of "
                    + contextWindow + " tokens; split it first or choose splitOversize(...)"));
        continue;
      }
      split(measured);
      if (!pending.isEmpty()) {
        return pending.poll();
      }
    }
    return null;
  }

  private PackedItem<I> measure(long index, I item) {
    long slot = nextSlot++;
    long tokens;
    long bytes;
    try {
      tokens = tokenCounter.applyAsLong(item);
    } catch (RuntimeException e) {
      rejects.reject(new PackedItem<>(index, slot, item, 0, 0),
          new IllegalArgumentException("the token counter failed on item " + index + ": " + e, e));
      return null;
    }
    if (tokens < 0) {
      rejects.reject(new PackedItem<>(index, slot, item, 0, 0),
          new IllegalArgumentException(
              "the token counter returned " + tokens + " for item " + index + "; counts must be at least 0"));
      return null;
    }
    try {
      bytes = Math.max(0, byteWeigher.applyAsLong(item));
    } catch (RuntimeException e) {
      rejects.reject(new PackedItem<>(index, slot, item, tokens, 0),
          new IllegalArgumentException("the byte weigher failed on item " + index + ": " + e, e));
      return null;
    }
    return new PackedItem<>(index, slot, item, tokens, bytes);
  }

  private void split(PackedItem<I> whole) {
    List<? extends I> pieces;
    try {
      pieces = splitter.apply(whole.item());
    } catch (RuntimeException e) {
      rejects.reject(whole, new IllegalArgumentException(
          "the splitter failed on item " + whole.index() + " (" + whole.tokens() + " tokens): " + e, e));
      return;
    }
    if (pieces == null || pieces.isEmpty()) {
      rejects.reject(whole, new IllegalArgumentException(
          "the splitter returned no pieces for item " + whole.index() + " (" + whole.tokens()
              + " tokens, over the context window of " + contextWindow + ")"));
      return;
    }
    boolean first = true;
    for (I piece : pieces) {
      // the first piece takes the whole item's slot; later pieces take the next slots
      PackedItem<I> p = first ? remeasure(whole, piece) : measure(whole.index(), piece);
      first = false;
      if (p == null) {
        continue;
      }
      if (p.tokens() > contextWindow) {
        rejects.reject(p, new IllegalArgumentException(
            "a piece of item " + whole.index() + " still has " + p.tokens()
                + " tokens, over the context window of " + contextWindow + " tokens; the splitter must cut smaller"));
        continue;
      }
      pending.add(p);
    }
  }

  private PackedItem<I> remeasure(PackedItem<I> whole, I piece) {
    long slotBefore = nextSlot;
    nextSlot = whole.slot();
    PackedItem<I> p = measure(whole.index(), piece);
    nextSlot = slotBefore;
    return p;
  }
}
