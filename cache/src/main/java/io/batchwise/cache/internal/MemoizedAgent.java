package io.batchwise.cache.internal;

import io.batchwise.cache.AsyncMemoizedFunction;
import io.batchwise.scheduler.Agent;
import io.batchwise.scheduler.Batch;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * An agent that skips items it has already processed: each item of a batch is looked up (and
 * single-flighted) through a memoized per-item function; only the misses go to the wrapped agent,
 * as one smaller batch, and their outputs are stored. A failed sub-batch fails only its items and
 * caches nothing, so a later job retries them.
 *
 * @param <I> the item type
 * @param <O> the output type
 */
public final class MemoizedAgent<I, O> implements Agent<I, O> {
  private final Agent<I, O> agent;
  private final AsyncMemoizedFunction<I, O> perItem;
  private final ThreadLocal<List<Miss<I, O>>> collecting = new ThreadLocal<>();

  private record Miss<I, O>(I item, long index, CompletableFuture<O> output) {}

  /**
   * Wraps {@code agent}.
   *
   * @param agent the agent whose outputs are memoized
   * @param memoize turns a per-item async function into its memoized form (name, codec, TTL, size)
   */
  public MemoizedAgent(
      Agent<I, O> agent,
      Function<Function<I, CompletableFuture<O>>, AsyncMemoizedFunction<I, O>> memoize) {
    this.agent = agent;
    // on a miss the memo calls this synchronously, inside process(): the item joins this batch's
    // misses
    this.perItem =
        memoize.apply(
            item -> {
              CompletableFuture<O> output = new CompletableFuture<>();
              collecting.get().add(new Miss<>(item, -1, output));
              return output;
            });
  }

  @Override
  public CompletionStage<List<O>> process(Batch<I> batch) {
    List<Miss<I, O>> misses = new ArrayList<>();
    List<CompletableFuture<O>> outputs = new ArrayList<>(batch.size());
    List<Long> missIndexes = new ArrayList<>();
    collecting.set(misses);
    try {
      for (int i = 0; i < batch.size(); i++) {
        int before = misses.size();
        outputs.add(perItem.apply(batch.items().get(i)));
        if (misses.size() > before) {
          missIndexes.add(batch.index(i));
        }
      }
    } finally {
      collecting.remove();
    }
    if (!misses.isEmpty()) {
      runMisses(batch, misses, missIndexes);
    }
    return CompletableFuture.allOf(outputs.toArray(CompletableFuture[]::new))
        .thenApply(done -> outputs.stream().map(CompletableFuture::join).toList());
  }

  private void runMisses(Batch<I> batch, List<Miss<I, O>> misses, List<Long> missIndexes) {
    List<I> items = new ArrayList<>(misses.size());
    long[] indexes = new long[misses.size()];
    for (int i = 0; i < misses.size(); i++) {
      items.add(misses.get(i).item());
      indexes[i] = missIndexes.get(i);
    }
    CompletionStage<List<O>> stage;
    try {
      stage =
          agent.process(
              new Batch<>(batch.sequence(), items, indexes, batch.tokens(), batch.attempt()));
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    stage.whenComplete(
        (outs, failure) -> {
          for (int i = 0; i < misses.size(); i++) {
            CompletableFuture<O> f = misses.get(i).output();
            if (failure != null) {
              f.completeExceptionally(failure);
            } else if (outs == null || outs.size() != misses.size()) {
              f.completeExceptionally(
                  new IllegalStateException(
                      "agent returned "
                          + (outs == null ? "null" : outs.size() + " outputs")
                          + " for "
                          + misses.size()
                          + " items"));
            } else {
              f.complete(outs.get(i));
            }
          }
        });
  }

  @Override
  public String toString() {
    return "MemoizedAgent{" + perItem + "}";
  }
}
