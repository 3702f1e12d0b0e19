package io.batchwise.providers.local;

import io.batchwise.config.ConfigOption;
import java.nio.file.Path;
import java.util.List;

/**
 * The options of the {@code local} provider, each settable on the builder, as the system property
 * {@code batchwise.<key>} or as the environment variable {@code BATCHWISE_<KEY>}.
 *
 * <pre>{@code
 * Batchwise.builder()
 *     .provider("local")
 *     .option(LocalOptions.MODEL.key(), "bge-small-en-v1.5-q")
 *     .build();
 * }</pre>
 *
 * <p>The thread and budget defaults: one intra-op thread per session run and one run per core,
 * because a small model's matrices are too small for ONNX Runtime's intra-op thread pool to pay
 * off, while independent runs keep every core busy without synchronizing; micro-batches of at most
 * 512 token positions, because larger ones push the activations out of the CPU caches. The
 * measurements behind them, and how to repeat them ({@code
 * io.batchwise.benchmarks.local.LocalProviderBenchmark}): the module's README, "Threads and
 * micro-batches".
 */
public final class LocalOptions {
  private LocalOptions() {}

  /** The cores the ranges of the thread options scale with. */
  private static final int CORES = Runtime.getRuntime().availableProcessors();

  /** Token-position budget of one micro-batch (rows × padded length) unless configured. */
  public static final int DEFAULT_TOKEN_BUDGET = 512;

  /** Concurrent session runs per core unless configured. */
  public static final int DEFAULT_RUNS_PER_CORE = 1;

  /** Intra-op threads per session run unless configured. */
  public static final int DEFAULT_INTRA_OP_THREADS = 1;

  /**
   * {@code local.model}: a named model ({@code all-minilm-l6-v2}, {@code all-minilm-l6-v2-q},
   * {@code bge-small-en-v1.5-q}) or a directory holding {@code model.onnx} and {@code
   * tokenizer.json}. Unset, the core {@code model} option is used when it is set, else {@code
   * all-minilm-l6-v2}.
   */
  public static final ConfigOption<String> MODEL =
      ConfigOption.text(
          "local.model",
          null,
          "Named model (all-minilm-l6-v2, all-minilm-l6-v2-q, bge-small-en-v1.5-q) or a directory with"
              + " model.onnx and tokenizer.json; default all-minilm-l6-v2.");

  /**
   * {@code local.model-dir}: a directory holding {@code model.onnx} and {@code tokenizer.json};
   * wins over {@link #MODEL}.
   */
  public static final ConfigOption<String> MODEL_DIR =
      ConfigOption.text(
          "local.model-dir",
          null,
          "Directory with model.onnx (or onnx/model.onnx) and tokenizer.json; overrides local.model.");

  /** {@code local.pooling}: {@code mean} or {@code cls}; defaults to the model's own. */
  public static final ConfigOption<Pooling> POOLING =
      ConfigOption.choice(
          "local.pooling",
          Pooling.class,
          "Pooling of the token vectors: mean (attention-mask weighted) or cls; default: the model's.");

  /** {@code local.normalize}: whether vectors get unit L2 norm; defaults to the model's own. */
  public static final ConfigOption<Boolean> NORMALIZE =
      ConfigOption.flag(
          "local.normalize",
          null,
          "Whether to L2-normalize the vectors (true/false); default: the model's.");

  /**
   * {@code local.max-sequence-length}: tokens per input, special tokens included; defaults to the
   * model's.
   */
  public static final ConfigOption<Integer> MAX_SEQUENCE_LENGTH =
      ConfigOption.integer(
          "local.max-sequence-length",
          3,
          Integer.MAX_VALUE,
          "Most tokens per input, special tokens included (256 for all-MiniLM-L6-v2, 512 for bge-small);"
              + " longer inputs are truncated or fail per the limit policy.");

  /**
   * {@code local.query-prefix}: prepended to every input of a call whose input type is {@link
   * io.batchwise.spi.InputType#QUERY} ({@code embedQuery}, {@code embedAll(texts, QUERY)}, an index
   * search).
   */
  public static final ConfigOption<String> QUERY_PREFIX =
      ConfigOption.text(
          "local.query-prefix",
          "",
          "Text prepended to every query (embedQuery, embedAll(texts, QUERY), index search), e.g. 'query: ' for e5 models.");

  /**
   * {@code local.document-prefix}: prepended to every input of a call whose input type is {@link
   * io.batchwise.spi.InputType#DOCUMENT} (the default).
   */
  public static final ConfigOption<String> DOCUMENT_PREFIX =
      ConfigOption.text(
          "local.document-prefix",
          "",
          "Text prepended to every document (embedAll, embedStream, index building), e.g. 'passage: ' for e5 models.");

  /** {@code local.intra-op-threads}: threads ONNX Runtime uses inside one session run. */
  public static final ConfigOption<Integer> INTRA_OP_THREADS =
      ConfigOption.integer(
              "local.intra-op-threads",
              1,
              4 * CORES,
              "Threads ONNX Runtime uses inside one session run; default 1 (measured best with concurrent runs).")
          .withDefault(DEFAULT_INTRA_OP_THREADS);

  /** {@code local.concurrent-runs}: session runs at once; defaults to one per core. */
  public static final ConfigOption<Integer> CONCURRENT_RUNS =
      ConfigOption.integer(
              "local.concurrent-runs",
              1,
              16 * CORES,
              "Micro-batches run at once on the one shared session; default: one per core.")
          .withDerivedDefault(() -> DEFAULT_RUNS_PER_CORE * CORES);

  /**
   * {@code local.max-batch-rows}: the most inputs in one micro-batch; defaults to 1 for dynamically
   * quantized (int8) models, whose vectors would otherwise depend on their batch neighbours, and to
   * no limit beyond the token budget for the others.
   */
  public static final ConfigOption<Integer> MAX_BATCH_ROWS =
      ConfigOption.integer(
          "local.max-batch-rows",
          1,
          Integer.MAX_VALUE,
          "Most inputs per micro-batch; default 1 for int8 (dynamically quantized) models, whose vectors"
              + " would otherwise depend on their batch neighbours, else only the token budget limits it.");

  /**
   * {@code local.token-budget}: the token-position budget of a micro-batch (rows × padded length).
   */
  public static final ConfigOption<Integer> TOKEN_BUDGET =
      ConfigOption.integer(
          "local.token-budget",
          3,
          1 << 24,
          "Token positions per micro-batch (rows x padded length); default "
              + DEFAULT_TOKEN_BUDGET
              + ", at least the max sequence length.");

  /**
   * {@code local.optimized-model-dir}: where ONNX Runtime's optimized graph of a model is saved on
   * its first load and loaded from on later ones, so that a process does not optimize the graph
   * again (nor, for a named model, inflate it from its jar); an empty value switches this off. The
   * file's name is derived from the model file's checksum, the ONNX Runtime version and the
   * optimization level. A per-user directory rather than one beside the embedding cache: the graph
   * belongs to the model, not to a cache, and a run without a cache (or with Redis) starts as fast.
   */
  public static final ConfigOption<String> OPTIMIZED_MODEL_DIR =
      ConfigOption.text(
              "local.optimized-model-dir",
              null,
              "Directory where ONNX Runtime's optimized model is saved on its first load and loaded from later,"
                  + " named by the model's checksum, the ONNX Runtime version and the optimization level; default"
                  + " $XDG_CACHE_HOME/batchwise/onnx, else ~/.cache/batchwise/onnx; empty to switch it off."
                  + " Created readable by its owner only.")
          .withDerivedDefault(LocalOptions::defaultOptimizedModelDir);

  /**
   * {@code $XDG_CACHE_HOME/batchwise/onnx}, else under {@code ~/.cache}: beside the default SQLite
   * cache.
   */
  private static String defaultOptimizedModelDir() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("batchwise").resolve("onnx").toString();
  }

  /**
   * Every option above, for {@link LocalProviderFactory#options()}.
   *
   * @return the options
   */
  public static List<ConfigOption<?>> all() {
    return List.of(
        MODEL,
        MODEL_DIR,
        POOLING,
        NORMALIZE,
        MAX_SEQUENCE_LENGTH,
        QUERY_PREFIX,
        DOCUMENT_PREFIX,
        INTRA_OP_THREADS,
        CONCURRENT_RUNS,
        MAX_BATCH_ROWS,
        TOKEN_BUDGET,
        OPTIMIZED_MODEL_DIR);
  }
}
