package io.batchwise.providers.local.internal;

import io.batchwise.providers.local.Pooling;
import java.util.Objects;

/**
 * What a model is: its files and how its token vectors become a sentence vector.
 *
 * @param id the model id as reported in {@link io.batchwise.spi.ModelInfo#modelId()} before any
 *     override of pooling, normalization or length
 * @param model the ONNX graph (inputs {@code input_ids}, {@code attention_mask}, optional {@code
 *     token_type_ids}; output {@code last_hidden_state})
 * @param tokenizer the HuggingFace {@code tokenizer.json}
 * @param pooling the model's pooling
 * @param normalize whether the model's vectors are L2-normalized
 * @param maxSequenceLength the most tokens per input the model was trained for, special tokens
 *     included
 * @param maxPositions the most positions the model accepts at all (its position embeddings)
 * @param dimensions the length of the model's vectors as its metadata declares it (the named
 *     models' catalog, a directory model's {@code config.json}), so that the provider can say what
 *     its vectors are without loading the graph; 0 when unknown, and then the graph is loaded to
 *     read it
 * @param maxBatchRows the most inputs one session run may carry: 1 for dynamically quantized (int8)
 *     models, whose activation ranges are computed over the whole batch so that a text's vector
 *     would otherwise depend on its neighbours (the README's "Models" says by how much); {@link
 *     Integer#MAX_VALUE} for the others
 * @param revision a hash of the files of a model read from a directory (which may change in place),
 *     or null for a named model, whose files are fixed by its artifact
 */
record ModelSpec(
    String id,
    ModelFile model,
    ModelFile tokenizer,
    Pooling pooling,
    boolean normalize,
    int maxSequenceLength,
    int maxPositions,
    int dimensions,
    int maxBatchRows,
    String revision) {

  /** Validates. */
  ModelSpec {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(tokenizer, "tokenizer");
    Objects.requireNonNull(pooling, "pooling");
    if (maxSequenceLength < 3 || maxSequenceLength > maxPositions) {
      throw new IllegalArgumentException(
          "maxSequenceLength was "
              + maxSequenceLength
              + "; it must be in [3, "
              + maxPositions
              + "]");
    }
    if (dimensions < 0) {
      throw new IllegalArgumentException(
          "dimensions was " + dimensions + "; it must be at least 0 (0: unknown)");
    }
    if (maxBatchRows < 1) {
      throw new IllegalArgumentException(
          "maxBatchRows was " + maxBatchRows + "; it must be at least 1");
    }
  }

  /**
   * A copy with other pooling, normalization, length and rows (a user's overrides).
   *
   * @param newPooling the pooling
   * @param newNormalize whether to normalize
   * @param newMaxSequenceLength the most tokens per input
   * @param newMaxBatchRows the most inputs per session run
   * @return the copy, with the same id
   */
  ModelSpec with(
      Pooling newPooling, boolean newNormalize, int newMaxSequenceLength, int newMaxBatchRows) {
    return new ModelSpec(
        id,
        model,
        tokenizer,
        newPooling,
        newNormalize,
        newMaxSequenceLength,
        maxPositions,
        dimensions,
        newMaxBatchRows,
        revision);
  }
}
