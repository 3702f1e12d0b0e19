package io.batchwise.providers.local.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tokenizers loaded in this JVM, one per {@code tokenizer.json}, shared by every provider and
 * tokenizer registry that asks for the same model.
 *
 * <p>A loaded WordPiece tokenizer holds its vocabulary in native memory (a few MB) and takes tens
 * of milliseconds to load; the handful of models a JVM uses are kept for its lifetime rather than
 * reference-counted. Thread-safe.
 */
final class LoadedTokenizers {
  private static final Map<String, HfTokenizer> LOADED = new ConcurrentHashMap<>();

  private LoadedTokenizers() {}

  /**
   * The tokenizer of {@code file}, loaded on first use.
   *
   * @param name the name it reports (the model name, or the directory for directory models)
   * @param file its {@code tokenizer.json}
   * @return the shared tokenizer
   * @throws io.batchwise.config.ConfigurationException when the file is missing (naming the jar to
   *     add)
   * @throws UncheckedIOException when it cannot be read or parsed
   */
  static HfTokenizer get(String name, ModelFile file) {
    return LOADED.computeIfAbsent(file.key() + "#" + name, k -> load(name, file));
  }

  private static HfTokenizer load(String name, ModelFile file) {
    try (InputStream in = file.open()) {
      return new HfTokenizer(name, in);
    } catch (IOException e) {
      throw new UncheckedIOException("could not load the tokenizer from " + file.describe(), e);
    }
  }
}
