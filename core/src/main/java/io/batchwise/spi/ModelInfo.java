package io.batchwise.spi;

import java.util.Objects;

/**
 * What a provider's model produces and the limits its calls must respect.
 *
 * <p>Two token limits, each with one meaning:
 *
 * <ul>
 *   <li>{@link #maxTokensPerCall()}: the most tokens one call may carry, <em>summed</em> over its
 *       inputs — a remote API's limit per request (OpenAI's is 300,000). Every call respects it,
 *       whatever the strategy; {@link BatchStrategy#SINGLE_CALL} packs calls up to it.
 *   <li>{@link #microBatchTokenBudget()}: the token-position budget of one micro-batch of an
 *       in-process model — rows × the longest row's tokens, the size of the padded tensor the model
 *       computes. {@link BatchStrategy#PARALLEL_GATHER} packs each call (one micro-batch) within
 *       it; {@code SINGLE_CALL} ignores it.
 * </ul>
 *
 * A provider without one of them declares {@link #NO_LIMIT} for it.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * // a remote API: 2,048 inputs and 300,000 tokens per request, 8,191 per input
 * new ModelInfo("text-embedding-3-small", 1536, true, 2048, 8191, 300_000, ModelInfo.NO_LIMIT);
 * // an in-process model: 256 tokens per input, micro-batches of at most 512 token positions
 * new ModelInfo("all-minilm-l6-v2", 384, true, 512, 256, ModelInfo.NO_LIMIT, 512);
 * }</pre>
 *
 * @param modelId the model's identifier as the provider names it, e.g. {@code all-minilm-l6-v2}
 * @param dimensions the length of every vector the model returns, at least 1
 * @param normalized whether returned vectors have unit L2 norm
 * @param maxInputsPerCall the most inputs one call (or micro-batch) may carry, at least 1
 * @param maxTokensPerInput the most tokens one input may have, at least 1
 * @param maxTokensPerCall the most tokens one call may carry summed over its inputs, at least
 *     {@code maxTokensPerInput}; {@link #NO_LIMIT} for none
 * @param microBatchTokenBudget the most token positions (rows × the longest row's tokens) one
 *     micro-batch may hold, at least {@code maxTokensPerInput}; used by {@link
 *     BatchStrategy#PARALLEL_GATHER}, {@link #NO_LIMIT} for none
 */
public record ModelInfo(
    String modelId,
    int dimensions,
    boolean normalized,
    int maxInputsPerCall,
    int maxTokensPerInput,
    int maxTokensPerCall,
    int microBatchTokenBudget) {

  /** A token limit the provider does not have. */
  public static final int NO_LIMIT = Integer.MAX_VALUE;

  /**
   * Checks the invariants.
   *
   * @throws IllegalArgumentException naming the field, the bad value and the allowed range
   */
  public ModelInfo {
    Objects.requireNonNull(modelId, "modelId");
    if (modelId.isBlank()) {
      throw new IllegalArgumentException("modelId must not be blank");
    }
    requireAtLeast("dimensions", dimensions, 1);
    requireAtLeast("maxInputsPerCall", maxInputsPerCall, 1);
    requireAtLeast("maxTokensPerInput", maxTokensPerInput, 1);
    // an input at the per-input limit must fit a call and a micro-batch on its own
    requireAtLeast("maxTokensPerCall", maxTokensPerCall, maxTokensPerInput);
    requireAtLeast("microBatchTokenBudget", microBatchTokenBudget, maxTokensPerInput);
  }

  private static void requireAtLeast(String name, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " was " + value + "; it must be at least " + min);
    }
  }

  /**
   * Returns a copy with other call limits, for users who override a provider's defaults.
   *
   * @param inputsPerCall the new {@link #maxInputsPerCall()}
   * @param tokensPerInput the new {@link #maxTokensPerInput()}
   * @param tokensPerCall the new {@link #maxTokensPerCall()}
   * @param tokenBudget the new {@link #microBatchTokenBudget()}
   * @return a new, validated {@code ModelInfo}
   */
  public ModelInfo withLimits(
      int inputsPerCall, int tokensPerInput, int tokensPerCall, int tokenBudget) {
    return new ModelInfo(
        modelId, dimensions, normalized, inputsPerCall, tokensPerInput, tokensPerCall, tokenBudget);
  }
}
