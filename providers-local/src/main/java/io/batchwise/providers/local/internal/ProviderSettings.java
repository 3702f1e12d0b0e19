package io.batchwise.providers.local.internal;

import io.batchwise.config.Config;
import io.batchwise.config.ConfigurationException;
import io.batchwise.providers.local.LocalOptions;
import io.batchwise.spi.InputPrefixes;
import java.util.Optional;

/**
 * The {@code local.*} options, read and checked.
 *
 * @param spec the model with the user's pooling, normalization and length applied
 * @param modelId the id reported in {@link io.batchwise.spi.ModelInfo}: the model's, plus a suffix for
 *     every override of the model that changes the vectors (pooling, normalization, length); not for the
 *     prefixes, which are part of the vectors' identity instead (documents and queries are of one model)
 * @param prefixes {@code local.query-prefix} and {@code local.document-prefix} as configured
 * @param intraOpThreads threads inside one session run
 * @param concurrentRuns session runs at once
 * @param tokenBudget the micro-batch token-position budget, or empty for the default
 */
record ProviderSettings(
    ModelSpec spec,
    String modelId,
    InputPrefixes prefixes,
    int intraOpThreads,
    int concurrentRuns,
    Optional<Integer> tokenBudget) {

  /** The core option naming the model, read when {@code local.model} is unset. */
  static final String CORE_MODEL_OPTION = "model";

  /**
   * Reads the options.
   *
   * @param config the configuration
   * @return the settings
   * @throws ConfigurationException naming the option, the bad value and what is allowed
   */
  static ProviderSettings from(Config config) {
    ModelSpec base = model(config);
    Pooling pooling = get(config, LocalOptions.POOLING.key())
        .map(v -> Pooling.parse(LocalOptions.POOLING.key(), v))
        .orElse(base.pooling());
    boolean normalize = config.getBoolean(LocalOptions.NORMALIZE.key(), base.normalize());
    int maxLength = config.getInt(
        LocalOptions.MAX_SEQUENCE_LENGTH.key(), base.maxSequenceLength(), 3, base.maxPositions());
    int maxRows = config.getInt(LocalOptions.MAX_BATCH_ROWS.key(), base.maxBatchRows(), 1, Integer.MAX_VALUE);
    ModelSpec spec = base.with(pooling, normalize, maxLength, maxRows);

    InputPrefixes prefixes = new InputPrefixes(get(config, LocalOptions.QUERY_PREFIX.key()).orElse(""),
        get(config, LocalOptions.DOCUMENT_PREFIX.key()).orElse(""));

    int cores = Runtime.getRuntime().availableProcessors();
    int intraOp = config.getInt(
        LocalOptions.INTRA_OP_THREADS.key(), LocalOptions.DEFAULT_INTRA_OP_THREADS, 1, 4 * cores);
    int runs = config.getInt(
        LocalOptions.CONCURRENT_RUNS.key(), LocalOptions.DEFAULT_RUNS_PER_CORE * cores, 1, 16 * cores);
    Optional<Integer> budget = get(config, LocalOptions.TOKEN_BUDGET.key())
        .map(v -> config.getInt(LocalOptions.TOKEN_BUDGET.key(), 0, 3, 1 << 24));

    return new ProviderSettings(spec, modelId(base, spec), prefixes, intraOp, runs, budget);
  }

  private static ModelSpec model(Config config) {
    Optional<String> dir = get(config, LocalOptions.MODEL_DIR.key());
    if (dir.isPresent()) {
      if (ModelCatalog.asDirectory(dir.get()) == null) {
        throw new ConfigurationException(
            "option '" + LocalOptions.MODEL_DIR.key() + "' must be a directory holding model.onnx and"
                + " tokenizer.json, was '" + dir.get() + "'");
      }
      return ModelCatalog.resolve(LocalOptions.MODEL_DIR.key(), dir.get());
    }
    Optional<String> name = get(config, LocalOptions.MODEL.key());
    String option = LocalOptions.MODEL.key();
    if (name.isEmpty() && config.options().containsKey(CORE_MODEL_OPTION)) {
      name = config.get(CORE_MODEL_OPTION);
      option = CORE_MODEL_OPTION;
    }
    return ModelCatalog.resolve(option, name.orElse(ModelCatalog.DEFAULT_MODEL));
  }

  /**
   * The id of the vectors: the model's, plus every override of the model that changes them. The
   * prefix is left out: it depends on the input type, and vectors of documents and of queries are of
   * one model (the prefixes are in the identity, see {@code LocalProviders}).
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

  /** An option's value, or empty when unset; an option the config does not know reads as unset. */
  private static Optional<String> get(Config config, String key) {
    return config.options().containsKey(key) ? config.get(key) : Optional.empty();
  }
}
