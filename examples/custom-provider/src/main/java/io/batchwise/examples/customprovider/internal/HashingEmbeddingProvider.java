package io.batchwise.examples.customprovider.internal;

import io.batchwise.spi.BatchStrategy;
import io.batchwise.spi.CallContext;
import io.batchwise.spi.CallFailedException;
import io.batchwise.spi.EmbeddingProvider;
import io.batchwise.spi.LimitPolicy;
import io.batchwise.spi.ModelInfo;
import io.batchwise.spi.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The {@code hashing} provider: all a provider must do is embed one call's texts, in order, and
 * declare its model and limits. Everything else (dedupe, cache, packing, concurrency, retries,
 * metrics) is the pipeline's. Embedding is CPU work, so it runs on the shared CPU pool and the
 * pipeline's {@link BatchStrategy#PARALLEL_GATHER} spreads micro-batches over the cores.
 */
final class HashingEmbeddingProvider implements EmbeddingProvider {
  /** Inputs per call: small micro-batches keep every core busy. */
  private static final int MAX_INPUTS_PER_CALL = 256;

  /** Words per input: hashing has no context window, this only bounds the work per input. */
  private static final int MAX_TOKENS_PER_INPUT = 8_192;

  /** Word positions (rows × the longest row) per micro-batch. */
  private static final int MICRO_BATCH_TOKEN_BUDGET = 65_536;

  private final String id;
  private final ModelInfo modelInfo;
  private final FeatureHasher hasher;
  private final Tokenizer tokenizer;
  private final Executor cpu;

  HashingEmbeddingProvider(
      String id, String model, FeatureHasher hasher, Tokenizer tokenizer, Executor cpu) {
    this.id = id;
    this.hasher = hasher;
    this.tokenizer = tokenizer;
    this.cpu = cpu;
    this.modelInfo =
        new ModelInfo(
            model,
            hasher.dimensions(),
            true,
            MAX_INPUTS_PER_CALL,
            MAX_TOKENS_PER_INPUT,
            ModelInfo.NO_LIMIT,
            MICRO_BATCH_TOKEN_BUDGET);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public ModelInfo modelInfo() {
    return modelInfo;
  }

  @Override
  public Tokenizer tokenizer() {
    return tokenizer;
  }

  @Override
  public BatchStrategy batchStrategy() {
    return BatchStrategy.PARALLEL_GATHER;
  }

  /** Like sentence-transformers: a long input is cut to the limit rather than failed. */
  @Override
  public LimitPolicy defaultLimitPolicy() {
    return LimitPolicy.TRUNCATE;
  }

  /**
   * Hashes each text on the CPU pool. Hashing has no query or document prefix, so both input types
   * embed alike; a call whose context is already cancelled is not computed, and a call it cannot
   * embed fails with a classified {@link CallFailedException}, never retried.
   */
  @Override
  public CompletableFuture<List<float[]>> embed(List<String> texts, CallContext context) {
    if (context.isCancelled()) {
      return CompletableFuture.failedFuture(
          new CancellationException("the call was cancelled before it ran"));
    }
    for (int i = 0; i < texts.size(); i++) {
      if (texts.get(i) == null) {
        return CompletableFuture.failedFuture(
            CallFailedException.permanent("input " + i + " of the call is null", null));
      }
    }
    return CompletableFuture.supplyAsync(
        () -> {
          List<float[]> out = new ArrayList<>(texts.size());
          for (String t : texts) {
            out.add(hasher.embed(t));
          }
          return out;
        },
        cpu);
  }

  @Override
  public String toString() {
    return "HashingEmbeddingProvider{"
        + modelInfo.modelId()
        + ", dimensions="
        + modelInfo.dimensions()
        + "}";
  }
}
