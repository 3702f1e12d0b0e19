package io.batchwise.providers.local;

import io.batchwise.providers.local.internal.LocalProviders;
import io.batchwise.spi.Tokenizer;
import io.batchwise.spi.TokenizerFactory;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Creates the WordPiece/BPE tokenizers of the local models from their {@code tokenizer.json},
 * through the HuggingFace tokenizers library. Found by {@link ServiceLoader}; cheap to construct.
 *
 * <p>Names: the named models ({@code all-minilm-l6-v2}, ...) and any directory holding a {@code
 * tokenizer.json}. Each tokenizer is loaded once per JVM and shared by every provider and registry
 * that asks for it. Counts include the special tokens the model adds ({@code [CLS]}, {@code [SEP]})
 * and never truncate.
 *
 * <pre>{@code
 * Tokenizer t = TokenizerRegistry.standalone().get("all-minilm-l6-v2");
 * int n = t.count("Hello, world");   // 5: [CLS] hello , world [SEP]
 * }</pre>
 */
public final class LocalTokenizerFactory implements TokenizerFactory {

  /** Creates the factory; loads nothing. */
  public LocalTokenizerFactory() {}

  /**
   * The id {@code local}.
   *
   * @return {@code local}
   */
  @Override
  public String id() {
    return LocalProviderFactory.ID;
  }

  /**
   * The named models; directories are accepted too but not listed.
   *
   * @return the model names
   */
  @Override
  public List<String> names() {
    return LocalProviders.modelNames();
  }

  /**
   * Whether {@code name} is a named model whose files are on the classpath, or a directory with a
   * {@code tokenizer.json}.
   *
   * @param name a model name or directory
   * @return true when {@link #create(String)} would succeed
   */
  @Override
  public boolean supports(String name) {
    return LocalProviders.supportsTokenizer(name);
  }

  /**
   * The shared tokenizer of a model.
   *
   * @param name a model name or directory
   * @return the tokenizer, thread-safe
   * @throws IllegalArgumentException when the name is unknown or its files are missing
   */
  @Override
  public Tokenizer create(String name) {
    return LocalProviders.tokenizer(name);
  }
}
