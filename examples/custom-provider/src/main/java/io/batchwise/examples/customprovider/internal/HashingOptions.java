package io.batchwise.examples.customprovider.internal;

import io.batchwise.config.ConfigOption;
import java.util.List;

/** The options and models of the {@code hashing} provider. */
public final class HashingOptions {
  private HashingOptions() {}

  /**
   * The default model: words, word pairs and character trigrams. Model ids are versioned because
   * the feature set and the hash shape every vector, and the model id is part of every cache key.
   */
  public static final String MODEL_ID = "hashing-v1";

  /** The model without character trigrams: words and word pairs only. */
  public static final String WORDS_ONLY_MODEL_ID = "hashing-words-v1";

  /** Every model, the default first. */
  public static final List<String> MODELS = List.of(MODEL_ID, WORDS_ONLY_MODEL_ID);

  /**
   * Dimensions unless configured: the same as all-MiniLM-L6-v2, so indexes are comparable in size.
   */
  public static final int DEFAULT_DIMENSIONS = 384;

  /** The vector length. */
  public static final ConfigOption<Integer> DIMENSIONS =
      ConfigOption.integer(
              "hashing.dimensions",
              16,
              65_536,
              "vector length of the example hashing provider, 16-65536 (more dimensions, fewer hash collisions)")
          .withDefault(DEFAULT_DIMENSIONS);

  /** Every option. */
  public static final List<ConfigOption<?>> ALL = List.of(DIMENSIONS);
}
