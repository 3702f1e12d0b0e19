package io.batchwise.spi;

/**
 * How the embed pipeline cuts a provider's inputs into calls.
 *
 * <p>The strategy is declared by the provider (see {@link EmbeddingProvider#batchStrategy()}); the
 * pipeline packs accordingly and never sends a call that breaks the provider's {@link ModelInfo}
 * limits.
 */
public enum BatchStrategy {
  /**
   * Pack as many inputs as the limits allow into each call, in input order: at most {@link
   * ModelInfo#maxInputsPerCall()} inputs and {@link ModelInfo#maxTokensPerCall()} tokens (the sum
   * of the inputs' token counts). Calls run concurrently under the scheduler's limits. Suits remote
   * APIs, where each request costs a round trip. {@link ModelInfo#microBatchTokenBudget()} does not
   * apply.
   */
  SINGLE_CALL,

  /**
   * Sort inputs by token length, cut small micro-batches, one per call, within the token-position
   * budget {@link ModelInfo#microBatchTokenBudget()} (rows × the longest row's tokens, what the
   * model computes once the rows are padded; like lengths together keep padding waste small), run
   * them in parallel on all cores, and gather the results back in input order. Each micro-batch
   * also keeps within {@link ModelInfo#maxInputsPerCall()} and {@link
   * ModelInfo#maxTokensPerCall()}. Suits in-process models.
   */
  PARALLEL_GATHER
}
