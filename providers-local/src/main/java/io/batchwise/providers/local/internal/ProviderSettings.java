package io.batchwise.providers.local.internal;

import io.batchwise.config.Config;
import io.batchwise.config.ConfigurationException;
import io.batchwise.config.CoreOptions;
import io.batchwise.providers.local.LocalOptions;
import io.batchwise.providers.local.Pooling;
import io.batchwise.spi.InputPrefixes;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code local.*} options, read and checked.
 *
 * @param spec the model with the user's pooling, normalization and length applied
 * @param modelId the id reported in {@link io.batchwise.spi.ModelInfo}: the model's, plus a suffix
 *     for every override of the model that changes the vectors (pooling, normalization, length);
 *     not for the prefixes, which are part of the vectors' identity instead (documents and queries
 *     are of one model)
 * @param prefixes {@code local.query-prefix} and {@code local.document-prefix} as configured
 * @param intraOpThreads threads inside one session run
 * @param concurrentRuns session runs at once
 * @param tokenBudget the micro-batch token-position budget, or empty for the default
 * @param optimizedModelDir where ONNX Runtime's optimized graph is saved and loaded from, or empty
 *     when switched off
 */
record ProviderSettings(
    ModelSpec spec,
    String modelId,
    InputPrefixes prefixes,
    int intraOpThreads,
    int concurrentRuns,
    Optional<Integer> tokenBudget,
    Optional<Path> optimizedModelDir) {

  /**
   * Reads the options.
   *
   * @param config the configuration
   * @return the settings
   * @throws ConfigurationException naming the option, the bad value and what is allowed
   */
  static ProviderSettings from(Config config) {
    ModelSpec base = model(config);
    Pooling pooling = config.find(LocalOptions.POOLING).orElse(base.pooling());
    boolean normalize = config.find(LocalOptions.NORMALIZE).orElse(base.normalize());
    int maxLength =
        config
            .find(LocalOptions.MAX_SEQUENCE_LENGTH.atMost(base.maxPositions()))
            .orElse(base.maxSequenceLength());
    int maxRows = config.find(LocalOptions.MAX_BATCH_ROWS).orElse(base.maxBatchRows());
    ModelSpec spec = base.with(pooling, normalize, maxLength, maxRows);

    InputPrefixes prefixes =
        new InputPrefixes(
            config.find(LocalOptions.QUERY_PREFIX).orElse(""),
            config.find(LocalOptions.DOCUMENT_PREFIX).orElse(""));
    int intraOp = config.get(LocalOptions.INTRA_OP_THREADS);
    int runs = config.get(LocalOptions.CONCURRENT_RUNS);
    Optional<Integer> budget = config.find(LocalOptions.TOKEN_BUDGET);
    Optional<Path> optimized =
        config
            .find(LocalOptions.OPTIMIZED_MODEL_DIR)
            .filter(dir -> !dir.isBlank())
            .map(dir -> directory(LocalOptions.OPTIMIZED_MODEL_DIR.key(), dir));

    return new ProviderSettings(
        spec, modelId(base, spec), prefixes, intraOp, runs, budget, optimized);
  }

  private static Path directory(String option, String value) {
    try {
      return Path.of(value).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new ConfigurationException(
          "option '" + option + "' is not a valid path: '" + value + "' (" + e.getReason() + ")");
    }
  }

  private static ModelSpec model(Config config) {
    Optional<String> dir = config.find(LocalOptions.MODEL_DIR);
    if (dir.isPresent()) {
      if (ModelCatalog.asDirectory(dir.get()) == null) {
        throw new ConfigurationException(
            "option '"
                + LocalOptions.MODEL_DIR.key()
                + "' must be a directory holding model.onnx and"
                + " tokenizer.json, was '"
                + dir.get()
                + "'");
      }
      return ModelCatalog.resolve(LocalOptions.MODEL_DIR.key(), dir.get());
    }
    Optional<String> name = config.find(LocalOptions.MODEL);
    String option = LocalOptions.MODEL.key();
    if (name.isEmpty()) {
      name = config.find(CoreOptions.MODEL);
      option = CoreOptions.MODEL.key();
    }
    return ModelCatalog.resolve(option, name.orElse(ModelCatalog.DEFAULT_MODEL));
  }

  /**
   * The id of the vectors: the model's, plus every override of the model that changes them. The
   * prefix is left out: it depends on the input type, and vectors of documents and of queries are
   * of one model (the prefixes are in the identity, see {@code LocalProviders}).
   */
  private static String modelId(ModelSpec base, ModelSpec spec) {
    StringBuilder id = new StringBuilder(base.id());
    if (spec.pooling() != base.pooling()) {
      id.append('+').append(spec.pooling().id());
    }
    if (spec.normalize() != base.normalize()) {
      id.append(spec.normalize() ? "+normalized" : "+unnormalized");
    }
    if (spec.maxSequenceLength() != base.maxSequenceLength()) {
      id.append("+max").append(spec.maxSequenceLength());
    }
    return id.toString();
  }
}
