package io.batchwise.internal.scheduler;

import io.batchwise.scheduler.JobOptions;
import io.batchwise.scheduler.OversizePolicy;
import io.batchwise.scheduler.PackingPolicy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.stream.IntStream;

/**
 * Reads a job's source and cuts its items into batches by the job's {@link PackingPolicy} — the one
 * packer of the code base: in order, greedily, at most {@code maxItems} items and {@code maxTokens}
 * tokens per batch; or sorted by length under a token-position budget, heaviest batch first.
 *
 * <p>An item over {@code maxTokens} but within the context window makes a batch of its own. An item
 * over the window fails alone ({@link OversizePolicy#FAIL}) or is split into pieces that are packed
 * as separate items sharing its index ({@link OversizePolicy#SPLIT}). Items whose token counter or
 * weigher throws fail alone. In order, at most one batch of items plus one look-ahead item (or the
 * pieces of one split item) are held, so the source is never materialized, unless the policy counts
 * ahead ({@link ReadAheadCounter}); length-sorted, the whole source is read before the first batch.
 * In order, an item goes from the source straight into its batch's arrays ({@link PackedBatch}):
 * the item being read is held in fields, not in an object of its own. Not thread-safe: the job's
 * drain loop is its only user.
 *
 * @param <I> the item type
 */
public final class BatchPacker<I> {

  /**
   * The batches this packer cuts from items of the given token counts, as positions into {@code
   * tokens}: what {@link io.batchwise.scheduler.Packers} reports for dry runs and tools.
   *
   * @param tokens each item's token count
   * @param maxInputs the most items per batch
   * @param maxTokens the most summed tokens per batch (and the context window)
   * @param policy how batches are cut
   * @return batches, each a list of positions into {@code tokens}
   * @throws IllegalStateException when the packer refuses an item (callers check the limits first)
   */
  public static List<int[]> plan(
      int[] tokens, int maxInputs, long maxTokens, PackingPolicy policy) {
    JobOptions<Integer> options =
        JobOptions.<Integer>builder()
            .maxItems(maxInputs)
            .maxTokens(maxTokens)
            .contextWindow(maxTokens)
            .tokenCounter(i -> tokens[i])
            .packing(policy)
            .build();
    List<String> rejected = new ArrayList<>();
    BatchPacker<Integer> packer =
        new BatchPacker<>(
            IntStream.range(0, tokens.length).iterator(),
            options,
            (p, e) -> rejected.add(e.getMessage()));
    List<int[]> batches = new ArrayList<>();
    PackedBatch<Integer> batch;
    while ((batch = packer.next(maxInputs)) != null) {
      batches.add(batch.items.stream().mapToInt(Integer::intValue).toArray());
    }
    if (!rejected.isEmpty()) {
      throw new IllegalStateException("the packer refused items the limits allow: " + rejected);
    }
    return batches;
  }

  /** Receives the items that fail before they reach a batch. */
  interface Rejects<I> {
    void reject(PackedItem<I> item, Throwable error);
  }

  /** Items counted ahead of packing, at most this many waves of batches (one batch per slot). */
  private static final int LOOKAHEAD_WAVES = 2;

  /**
   * The most items read and counted ahead in order: a model without an input limit must not read
   * its whole input.
   */
  private static final int MAX_LOOKAHEAD = 1 << 16;

  private final Iterator<? extends I> source;
  private final ReadAheadCounter<I> counted;
  private final ToLongFunction<? super I> tokenCounter;
  private final ToLongFunction<? super I> byteWeigher;
  private final long maxTokens;
  private final long contextWindow;
  private final OversizePolicy oversizePolicy;
  private final Function<? super I, ? extends List<? extends I>> splitter;
  private final Rejects<I> rejects;
  private final int maxItems;
  private final PackingPolicy policy;

  /**
   * Items read and not yet packed: the one a full batch left over, or the pieces of a split item.
   */
  private final ArrayDeque<PackedItem<I>> pending = new ArrayDeque<>();

  /** Length-sorted: the batches cut and not yet handed out, heaviest first; null until cut. */
  private ArrayDeque<PackedBatch<I>> sorted;

  private final PackedBatch.Builder<I> building;
  // the item read last by read(): its index, result slot, value, tokens and bytes
  private long curIndex;
  private long curSlot;
  private I curItem;
  private long curTokens;
  private long curBytes;
  private int sortedItems;
  private long nextIndex;
  private long nextSlot;
  private boolean sourceExhausted;
  private boolean stopped;
  private RuntimeException sourceFailure;

  /**
   * A packer that counts on the reading thread only.
   *
   * @param source the job's source
   * @param options its options
   * @param rejects receives the items that fail before a batch
   */
  BatchPacker(Iterator<? extends I> source, JobOptions<I> options, Rejects<I> rejects) {
    this(source, options, rejects, null);
  }

  /**
   * @param source the job's source
   * @param options its options
   * @param rejects receives the items that fail before a batch
   * @param cpu where a policy that counts ahead counts, or null for the reading thread only
   */
  BatchPacker(
      Iterator<? extends I> source, JobOptions<I> options, Rejects<I> rejects, Executor cpu) {
    this.source = source;
    this.policy = options.packing();
    this.maxItems = options.maxItems();
    this.counted =
        policy.countAhead()
            ? new ReadAheadCounter<>(
                source,
                options.tokenCounter(),
                cpu,
                ReadAheadCounter.CHUNK,
                lookahead(options),
                Runtime.getRuntime().availableProcessors())
            : null;
    this.tokenCounter = options.tokenCounter();
    this.byteWeigher = options.byteWeigher();
    this.maxTokens = options.maxTokens();
    this.contextWindow = options.contextWindow();
    this.oversizePolicy = options.oversizePolicy();
    this.splitter = options.splitter();
    this.rejects = rejects;
    this.building = new PackedBatch.Builder<>(64, maxItems);
  }

  /**
   * How far ahead a policy that counts ahead reads: length-sorted, everything (it sorts the whole
   * source); in order, the items of {@value #LOOKAHEAD_WAVES} more batches per slot, so the next
   * wave is counted when slots free and the wave after it while the batches are in flight.
   */
  private static long lookahead(JobOptions<?> options) {
    if (options.packing().lengthSorted()) {
      return Long.MAX_VALUE;
    }
    long waves =
        (long) LOOKAHEAD_WAVES
            * options.concurrency()
            * Math.min(options.maxItems(), MAX_LOOKAHEAD);
    return Math.min(MAX_LOOKAHEAD, Math.max(ReadAheadCounter.CHUNK, waves));
  }

  /**
   * The next batch: in input order, or (length-sorted) the heaviest batch not yet handed out.
   *
   * @param maxItems the most items it may hold now (the adaptive size, at most the job's maxItems);
   *     a length-sorted job cuts every batch at once, by the job's maxItems
   * @return the batch, or null when nothing is left
   */
  PackedBatch<I> next(int maxItems) {
    if (policy.lengthSorted()) {
      if (sorted == null) {
        cutSorted();
      }
      PackedBatch<I> batch = sorted.poll();
      if (batch != null) {
        sortedItems -= batch.size();
      }
      return batch;
    }
    while (building.size() < maxItems && read()) { // a full batch reads nothing more
      if (startsNewBatch(building.size(), building.tokens(), curTokens, maxItems, maxTokens)) {
        pending.addFirst(current());
        break;
      }
      building.add(curIndex, curSlot, curItem, curTokens, curBytes);
      if (curTokens > maxTokens) {
        break; // within the window but over the batch limit: alone
      }
    }
    curItem = null;
    return building.build();
  }

  /** The item read last, as an object: only for one that waits (the next batch's first). */
  private PackedItem<I> current() {
    return new PackedItem<>(curIndex, curSlot, curItem, curTokens, curBytes);
  }

  /**
   * The greedy rule: the next item starts a new batch when the batch is full by count, or non-empty
   * and the item would take it over the token limit.
   */
  private static boolean startsNewBatch(
      int size, long tokens, long next, int maxItems, long maxTokens) {
    return size >= maxItems || (size > 0 && tokens + next > maxTokens);
  }

  /**
   * Reads the whole source, sorts it by tokens and cuts it: rows × the longest row within the
   * budget, rows and summed tokens within the batch limits; then orders the batches heaviest first.
   */
  private void cutSorted() {
    List<PackedItem<I>> items = new ArrayList<>();
    long budget = policy.tokenPositionBudget();
    while (read()) {
      PackedItem<I> p = current();
      if (Math.max(1, p.tokens()) > budget) {
        rejects.reject(
            p,
            new IllegalArgumentException(
                "item "
                    + p.index()
                    + " has "
                    + p.tokens()
                    + " tokens, over the token-position budget of "
                    + budget
                    + " (rows × longest row per batch)"));
      } else {
        items.add(p);
      }
    }
    curItem = null;
    // stable sort: equal lengths keep input order, so the packing is deterministic
    items.sort(Comparator.comparingLong(PackedItem::tokens));
    List<PackedBatch<I>> batches = new ArrayList<>();
    for (PackedItem<I> item : items) {
      long width = Math.max(1, item.tokens()); // sorted ascending: this item is the longest so far
      if (startsNewBatch(building.size(), building.tokens(), item.tokens(), maxItems, maxTokens)
          || (long) (building.size() + 1) * width > budget) {
        batches.add(building.build());
      }
      building.add(item);
    }
    PackedBatch<I> last = building.build();
    if (last != null) {
      batches.add(last);
    }
    // heaviest first; the sort is stable and ties go to the longer rows, so the order is
    // deterministic
    Comparator<PackedBatch<I>> byWeight = Comparator.comparingLong(BatchPacker::paddedPositions);
    batches.sort(byWeight.thenComparingLong(BatchPacker::longestRow).reversed());
    sorted = new ArrayDeque<>(batches);
    sortedItems = items.size();
  }

  /** The tokens of a length-sorted batch's longest row: its last. */
  private static long longestRow(PackedBatch<?> batch) {
    return batch.itemTokens[batch.size() - 1];
  }

  /** Rows × the longest row: what a model computes for the batch once it is padded. */
  private static long paddedPositions(PackedBatch<?> batch) {
    return (long) batch.size() * Math.max(1, longestRow(batch));
  }

  /**
   * Stops reading the source; items already read stay available through {@link #drainPending()}.
   */
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
    if (sorted != null) {
      List<PackedItem<I>> left = new ArrayList<>(sortedItems);
      sorted.forEach(b -> left.addAll(b.toItems()));
      left.sort(Comparator.comparingLong(PackedItem::slot));
      out.addAll(left);
      sorted.clear();
      sortedItems = 0;
    }
    return out;
  }

  /**
   * @return items read but not yet handed out in a batch
   */
  int pendingCount() {
    return pending.size() + sortedItems;
  }

  /**
   * @return true when the source said it has no more items
   */
  boolean sourceExhausted() {
    return sourceExhausted;
  }

  /**
   * @return true when nothing more will come from {@link #next(int)}
   */
  boolean finished() {
    return pending.isEmpty()
        && sortedItems == 0
        && (sourceExhausted || stopped || sourceFailure != null);
  }

  /**
   * @return the exception the source threw, or null
   */
  RuntimeException sourceFailure() {
    return sourceFailure;
  }

  /**
   * @return the number of items read from the source
   */
  long itemsRead() {
    return nextIndex;
  }

  /**
   * Reads the next item that fits the context window (split into pieces first if it must be) into
   * the current-item fields.
   *
   * @return false when nothing is left to read
   */
  private boolean read() {
    if (!pending.isEmpty()) {
      return take(pending.poll());
    }
    while (!sourceExhausted && !stopped && sourceFailure == null) {
      boolean measured;
      if (counted != null) {
        if (!counted.advance()) {
          sourceExhausted = counted.sourceExhausted();
          sourceFailure = counted.sourceFailure();
          return false;
        }
        measured = measure(nextIndex++, counted.item(), counted.tokens(), counted.failure());
      } else {
        I item;
        try {
          if (!source.hasNext()) {
            sourceExhausted = true;
            return false;
          }
          item = source.next();
        } catch (RuntimeException e) {
          sourceFailure = e;
          return false;
        }
        measured = measure(nextIndex++, item);
      }
      if (!measured) {
        continue; // failed alone
      }
      if (curTokens <= contextWindow) {
        return true;
      }
      PackedItem<I> whole = current();
      if (oversizePolicy == OversizePolicy.FAIL || splitter == null) {
        rejects.reject(
            whole,
            new IllegalArgumentException(
                "item "
                    + whole.index()
                    + " has "
                    + whole.tokens()
                    + " tokens, over the context window of "
                    + contextWindow
                    + " tokens; split it first or choose splitOversize(...)"));
        continue;
      }
      split(whole);
      if (!pending.isEmpty()) {
        return take(pending.poll());
      }
    }
    return false;
  }

  private boolean take(PackedItem<I> p) {
    curIndex = p.index();
    curSlot = p.slot();
    curItem = p.item();
    curTokens = p.tokens();
    curBytes = p.bytes();
    return true;
  }

  private boolean measure(long index, I item) {
    long tokens = 0;
    RuntimeException failure = null;
    try {
      tokens = tokenCounter.applyAsLong(item);
    } catch (RuntimeException e) {
      failure = e;
    }
    return measure(index, item, tokens, failure);
  }

  /**
   * Measures an item whose tokens are counted (or whose counter failed with {@code failure}) into
   * the current-item fields.
   *
   * @return false when it failed alone
   */
  private boolean measure(long index, I item, long tokens, RuntimeException failure) {
    long slot = nextSlot++;
    long bytes;
    if (failure != null) {
      RuntimeException e = failure;
      rejects.reject(
          new PackedItem<>(index, slot, item, 0, 0),
          new IllegalArgumentException("the token counter failed on item " + index + ": " + e, e));
      return false;
    }
    if (tokens < 0) {
      rejects.reject(
          new PackedItem<>(index, slot, item, 0, 0),
          new IllegalArgumentException(
              "the token counter returned "
                  + tokens
                  + " for item "
                  + index
                  + "; counts must be at least 0"));
      return false;
    }
    try {
      bytes = Math.max(0, byteWeigher.applyAsLong(item));
    } catch (RuntimeException e) {
      rejects.reject(
          new PackedItem<>(index, slot, item, tokens, 0),
          new IllegalArgumentException("the byte weigher failed on item " + index + ": " + e, e));
      return false;
    }
    curIndex = index;
    curSlot = slot;
    curItem = item;
    curTokens = tokens;
    curBytes = bytes;
    return true;
  }

  private void split(PackedItem<I> whole) {
    List<? extends I> pieces;
    try {
      pieces = splitter.apply(whole.item());
    } catch (RuntimeException e) {
      rejects.reject(
          whole,
          new IllegalArgumentException(
              "the splitter failed on item "
                  + whole.index()
                  + " ("
                  + whole.tokens()
                  + " tokens): "
                  + e,
              e));
      return;
    }
    if (pieces == null || pieces.isEmpty()) {
      rejects.reject(
          whole,
          new IllegalArgumentException(
              "the splitter returned no pieces for item "
                  + whole.index()
                  + " ("
                  + whole.tokens()
                  + " tokens, over the context window of "
                  + contextWindow
                  + ")"));
      return;
    }
    boolean first = true;
    for (I piece : pieces) {
      // the first piece takes the whole item's slot; later pieces take the next slots
      boolean measured = first ? remeasure(whole, piece) : measure(whole.index(), piece);
      first = false;
      if (!measured) {
        continue;
      }
      PackedItem<I> p = current();
      if (p.tokens() > contextWindow) {
        rejects.reject(
            p,
            new IllegalArgumentException(
                "a piece of item "
                    + whole.index()
                    + " still has "
                    + p.tokens()
                    + " tokens, over the context window of "
                    + contextWindow
                    + " tokens; the splitter must cut smaller"));
        continue;
      }
      pending.add(p);
    }
  }

  private boolean remeasure(PackedItem<I> whole, I piece) {
    long slotBefore = nextSlot;
    nextSlot = whole.slot();
    boolean measured = measure(whole.index(), piece);
    nextSlot = slotBefore;
    return measured;
  }
}
