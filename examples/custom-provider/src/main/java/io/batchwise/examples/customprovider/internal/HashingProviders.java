package io.batchwise.examples.customprovider.internal;

import io.batchwise.config.Config;
import io.batchwise.config.ConfigurationException;
import io.batchwise.config.CoreOptions;
import io.batchwise.spi.EmbeddingProvider;
import io.batchwise.spi.FactoryContext;
import java.util.concurrent.Executor;

/** Reads the options and creates the {@code hashing} provider. */
public final class HashingProviders {
  private HashingProviders() {}

  /**
   * Creates the provider from the configuration.
   *
   * @param id the provider id
   * @param context the configuration and CPU pool
   * @return the provider
   * @throws ConfigurationException when {@code hashing.dimensions} is out of range or the {@code
   *     model} option names an unknown model
   */
  public static EmbeddingProvider create(String id, FactoryContext context) {
    Config config = context.config();
    String model = config.find(CoreOptions.MODEL).orElse(HashingOptions.MODEL_ID);
    if (!HashingOptions.MODELS.contains(model)) {
      throw new ConfigurationException(
          "option 'model' was '"
              + model
              + "'; the hashing provider's models are "
              + String.join(", ", HashingOptions.MODELS));
    }
    int dimensions = config.get(HashingOptions.DIMENSIONS);
    return create(id, model, dimensions, context.cpuExecutor());
  }

  /**
   * Creates the provider without a configuration, for tests and direct use.
   *
   * @param id the provider id
   * @param model {@link HashingOptions#MODEL_ID} or {@link HashingOptions#WORDS_ONLY_MODEL_ID}
   * @param dimensions the vector length, 16-65536
   * @param cpu where embedding runs
   * @return the provider
   * @throws IllegalArgumentException when the model is unknown or the dimensions out of range (a
   *     {@link ConfigurationException} naming {@code hashing.dimensions})
   */
  public static EmbeddingProvider create(String id, String model, int dimensions, Executor cpu) {
    if (!HashingOptions.MODELS.contains(model)) {
      throw new IllegalArgumentException(
          "unknown model '" + model + "'; known: " + HashingOptions.MODELS);
    }
    HashingOptions.DIMENSIONS.check(dimensions);
    WordTokenizer tokenizer = new WordTokenizer(dimensions);
    boolean subwords = model.equals(HashingOptions.MODEL_ID);
    return new HashingEmbeddingProvider(
        id, model, new FeatureHasher(tokenizer, dimensions, subwords), tokenizer, cpu);
  }
}
