package io.batchwise.scheduler;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;

/**
 * Any asynchronous function of a batch: an LLM call, a summarizer, a provider call.
 *
 * <p>An agent returns one output per item, in the batch's order. To fail, it completes the stage
 * exceptionally (or throws); a {@link io.batchwise.spi.CallFailedException} says whether the
 * scheduler may retry and after how long, and any other exception is treated as not retryable (a
 * {@link TimeoutException} is retryable). An agent never retries by itself. Agents are called from
 * many threads at once and must be thread-safe.
 *
 * <pre>{@code
 * Agent<String, Integer> lengths = batch ->
 *     CompletableFuture.completedFuture(batch.items().stream().map(String::length).toList());
 * }</pre>
 *
 * @param <I> the item type
 * @param <O> the output type
 */
@FunctionalInterface
public interface Agent<I, O> {

  /**
   * Processes one batch.
   *
   * @param batch the items, their positions in the job's input, their token count and the attempt
   * @return a stage completing with exactly {@code batch.size()} outputs in batch order
   */
  CompletionStage<List<O>> process(Batch<I> batch);
}
