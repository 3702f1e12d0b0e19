package io.batchwise.spi;

import java.util.Objects;

/**
 * What a provider's model produces and the limits one provider call must respect.
 *
 * <p>Immutable and thread-safe.
 *
 * @param modelId the model's identifier as the provider names it, e.g. {@code all-minilm-l6-v2}
 * @param dimensions the length of every vector the model returns, at least 1
 * @param normalized whether returned vectors have unit L2 norm
 * @param maxInputsPerCall the most inputs one call may carry, at least 1
 * @param maxTokensPerInput the most tokens one input may have, at least 1
 * @param maxTokensPerCall for {@link BatchStrategy#SINGLE_CALL} the most tokens (summed over inputs)
 *     one call may carry; for {@link BatchStrategy#PARALLEL_GATHER} the token-position budget of a
 *     micro-batch (rows × padded length); at least {@code maxTokensPerInput}
 */
public record ModelInfo(
    String modelId,
    int dimensions,
    boolean normalized,
    int maxInputsPerCall,
    int maxTokensPerInput,
    int maxTokensPerCall) {

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
    requireAtLeast("maxTokensPerCall", maxTokensPerCall, maxTokensPerInput);
  }

  private static void requireAtLeast(String name, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(
          name + " was " + value + "; it must be at least " + min);
    }
  }

  /**
   * Returns a copy with other call limits, for users who override a provider's defaults.
   *
   * @param inputsPerCall the new {@link #maxInputsPerCall()}
   * @param tokensPerInput the new {@link #maxTokensPerInput()}
   * @param tokensPerCall the new {@link #maxTokensPerCall()}
   * @return a new, validated {@code ModelInfo}
   */
  public ModelInfo withLimits(int inputsPerCall, int tokensPerInput, int tokensPerCall) {
    return new ModelInfo(modelId, dimensions, normalized, inputsPerCall, tokensPerInput, tokensPerCall);
  }
}
