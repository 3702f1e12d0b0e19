package io.batchwise.examples.customprovider;

import io.batchwise.config.ConfigOption;
import io.batchwise.examples.customprovider.internal.HashingOptions;
import io.batchwise.examples.customprovider.internal.HashingProviders;
import io.batchwise.spi.EmbeddingProvider;
import io.batchwise.spi.EmbeddingProviderFactory;
import io.batchwise.spi.FactoryContext;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The {@code hashing} provider: a third-party provider written against Batchwise's SPI alone, to
 * show what a provider has to do (turn texts into vectors) and what it gets for free (validation,
 * dedupe, caching, token limits, batching, concurrency, retries, metrics).
 *
 * <p>Its model, {@value HashingOptions#MODEL_ID}, is feature hashing (the "hashing trick"): each
 * text becomes a bag of features — its words, its word pairs, and the character trigrams of its
 * longer words — weighted by sublinear term frequency, hashed with a sign into a fixed number of
 * dimensions, and L2-normalized. Texts that share words and word pieces get close vectors. It needs
 * no model file and no network, runs in microseconds, and is a sound baseline for keyword-style
 * retrieval; it knows nothing of synonyms.
 *
 * <p>Choose the model with the core {@code model} option: {@value HashingOptions#MODEL_ID} (words,
 * word pairs and trigrams, the default) or {@value HashingOptions#WORDS_ONLY_MODEL_ID} (no
 * trigrams). The one provider option, {@code hashing.dimensions} (also {@code
 * -Dbatchwise.hashing.dimensions} or {@code BATCHWISE_HASHING_DIMENSIONS}), sets the vector length,
 * 16-65536, default 384.
 *
 * <pre>{@code
 * try (Batchwise bw = Batchwise.builder().provider("hashing").cache("caffeine").build()) {
 *   List<float[]> vectors = bw.embedder().embedAll(texts).vectors();
 * }
 * }</pre>
 *
 * <p>Registered in {@code META-INF/services/io.batchwise.spi.EmbeddingProviderFactory}; public with
 * a public no-argument constructor, as {@link ServiceLoader} requires.
 */
public final class HashingProviderFactory implements EmbeddingProviderFactory {
  /** The provider id. */
  public static final String ID = "hashing";

  /** Creates the factory; cheap, loads nothing. */
  public HashingProviderFactory() {}

  /**
   * @return {@value #ID}
   */
  @Override
  public String id() {
    return ID;
  }

  /**
   * @return {@code hashing.dimensions}
   */
  @Override
  public List<ConfigOption<?>> options() {
    return HashingOptions.ALL;
  }

  /**
   * @return {@value HashingOptions#MODEL_ID} (the default) and {@value
   *     HashingOptions#WORDS_ONLY_MODEL_ID}
   */
  @Override
  public List<String> models() {
    return HashingOptions.MODELS;
  }

  /**
   * Creates the provider from the options.
   *
   * @param context configuration and the CPU pool the provider embeds on
   * @return the provider
   * @throws io.batchwise.config.ConfigurationException when an option is out of range, or the
   *     {@code model} option names another model
   */
  @Override
  public EmbeddingProvider create(FactoryContext context) {
    return HashingProviders.create(ID, context);
  }
}
