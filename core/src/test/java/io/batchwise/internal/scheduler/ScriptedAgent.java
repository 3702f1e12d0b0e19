package io.batchwise.internal.scheduler;

import io.batchwise.scheduler.Agent;
import io.batchwise.scheduler.Batch;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * A fake agent that records every batch it is given and leaves each answer pending until the test
 * completes it, or answers at once through a script.
 *
 * @param <I> the item type
 * @param <O> the output type
 */
final class ScriptedAgent<I, O> implements Agent<I, O> {
  /** One call: the batch and the future the test completes. */
  record Call<I, O>(Batch<I> batch, CompletableFuture<List<O>> future) {
    void succeed(Function<I, O> f) {
      future.complete(batch.items().stream().map(f).toList());
    }

    void fail(Throwable t) {
      future.completeExceptionally(t);
    }
  }

  private final List<Call<I, O>> calls = new ArrayList<>();
  private final Function<Batch<I>, CompletionStage<List<O>>> script;

  /** Leaves every call pending. */
  ScriptedAgent() {
    this(null);
  }

  /**
   * Answers through {@code script}; a null answer leaves the call pending.
   *
   * @param script the answer for each batch
   */
  ScriptedAgent(Function<Batch<I>, CompletionStage<List<O>>> script) {
    this.script = script;
  }

  @Override
  public CompletionStage<List<O>> process(Batch<I> batch) {
    CompletableFuture<List<O>> f = new CompletableFuture<>();
    synchronized (this) {
      calls.add(new Call<>(batch, f));
    }
    if (script != null) {
      CompletionStage<List<O>> answer = script.apply(batch);
      if (answer != null) {
        answer.whenComplete(
            (v, e) -> {
              if (e != null) {
                f.completeExceptionally(e);
              } else {
                f.complete(v);
              }
            });
      }
    }
    return f;
  }

  synchronized List<Call<I, O>> calls() {
    return List.copyOf(calls);
  }

  synchronized Call<I, O> call(int i) {
    return calls.get(i);
  }

  synchronized List<List<I>> batches() {
    return calls.stream().map(c -> c.batch().items()).toList();
  }

  /**
   * @return calls not yet answered
   */
  synchronized List<Call<I, O>> pending() {
    return calls.stream().filter(c -> !c.future().isDone()).toList();
  }
}
