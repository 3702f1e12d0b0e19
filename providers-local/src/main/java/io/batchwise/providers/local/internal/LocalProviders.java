package io.batchwise.providers.local.internal;

import io.batchwise.config.ConfigurationException;
import io.batchwise.providers.local.LocalOptions;
import io.batchwise.providers.local.LocalProviderFactory;
import io.batchwise.spi.EmbeddingProvider;
import io.batchwise.spi.FactoryContext;
import io.batchwise.spi.InputPrefixes;
import io.batchwise.spi.InputType;
import io.batchwise.spi.ModelInfo;
import io.batchwise.spi.Tokenizer;
import io.batchwise.spi.VectorIdentity;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The entry point of the implementation, used by the public factories; not an API. */
public final class LocalProviders {
  private static final Logger LOG = LoggerFactory.getLogger(LocalProviders.class);
  private static final String MODEL_JARS = "model-jars.properties";

  private LocalProviders() {}

  /**
   * Creates a provider from the {@code local.*} options. The model info and the identity come from
   * the model's metadata; the tokenizer (shared per JVM) and the ONNX Runtime session load on the
   * first call that needs them, so that a run answered from the cache loads neither. The tokenizer
   * loads now when a prefix is configured (its tokens decide the per-input limit), and the session
   * when the model's vector length is not known without it (a directory model).
   *
   * @param context configuration, tokenizer registry and CPU pool
   * @return the provider
   * @throws ConfigurationException when an option is invalid, or the model cannot be found (or,
   *     when it is loaded now, loaded)
   */
  public static EmbeddingProvider create(FactoryContext context) {
    long start = System.nanoTime();
    ProviderSettings settings = ProviderSettings.from(context.config());
    ModelSpec spec = settings.spec();
    requireFiles(spec);
    Deferred<HfTokenizer> tokenizer =
        new Deferred<>(() -> LoadedTokenizers.get(tokenizerName(spec), spec.tokenizer()));

    // the per-input limit holds for both input types: it leaves room for the longer prefix
    InputPrefixes prefixes = settings.prefixes();
    int maxPerInput = spec.maxSequenceLength();
    // none(), not equals(NONE): a record's first equals builds its method handles, work a cached
    // rerun would pay for at start-up
    if (!prefixes.none()) {
      InputType costlier = prefixes.costlier(prefix -> prefixTokens(tokenizer.get(), prefix));
      int prefixTokens = prefixTokens(tokenizer.get(), prefixes.prefix(costlier));
      maxPerInput -= prefixTokens;
      if (maxPerInput <= tokenizer.get().specialTokens()) {
        throw new ConfigurationException(
            "the "
                + costlier.id()
                + " prefix '"
                + prefixes.configured(costlier)
                + "' ('"
                + (costlier == InputType.QUERY
                        ? LocalOptions.QUERY_PREFIX
                        : LocalOptions.DOCUMENT_PREFIX)
                    .key()
                + "') takes "
                + prefixTokens
                + " of the "
                + spec.maxSequenceLength()
                + " tokens "
                + settings.modelId()
                + " accepts per input, leaving no room for text; shorten it or raise '"
                + LocalOptions.MAX_SEQUENCE_LENGTH.key()
                + "'");
      }
    }
    int budget =
        settings
            .tokenBudget()
            .orElse(Math.max(LocalOptions.DEFAULT_TOKEN_BUDGET, spec.maxSequenceLength()));
    if (budget < spec.maxSequenceLength()) {
      throw new ConfigurationException(
          "option '"
              + LocalOptions.TOKEN_BUDGET.key()
              + "' must be at least the max sequence length "
              + spec.maxSequenceLength()
              + " (one full-length input must fit a micro-batch), was "
              + budget);
    }

    Deferred<OnnxModel> model = new Deferred<>(() -> load(spec, settings));
    // a graph whose vector length is not in its metadata is read now: the cache key needs the
    // length
    int dimensions = spec.dimensions() != 0 ? spec.dimensions() : model.get().dimensions();
    ModelInfo info;
    LocalEmbeddingProvider provider;
    try {
      // no summed limit of its own: a call is cut into micro-batches within the budget
      info =
          new ModelInfo(
              settings.modelId(),
              dimensions,
              spec.normalize(),
              Math.min(budget, spec.maxBatchRows()),
              maxPerInput,
              ModelInfo.NO_LIMIT,
              budget);
      Tokenizer shared =
          context.tokenizers().register(new DeferredTokenizer(tokenizerName(spec), tokenizer));
      provider =
          new LocalEmbeddingProvider(
              LocalProviderFactory.ID,
              info,
              identity(info, spec, settings),
              shared,
              tokenizer,
              model,
              prefixes,
              spec.maxSequenceLength(),
              settings.concurrentRuns(),
              context.cpuExecutor());
    } catch (RuntimeException e) {
      model.ifMade().ifPresent(OnnxModel::close); // nobody else will free the session
      throw e;
    }
    LOG.debug(
        "created the provider of {} ({} dims, {} pooling, {}, at most {} tokens per input) in {} ms;"
            + " {} concurrent runs x {} intra-op threads, micro-batches of at most {} token positions and {} rows;"
            + " the model {}",
        info.modelId(),
        info.dimensions(),
        spec.pooling().id(),
        spec.normalize() ? "normalized" : "not normalized",
        info.maxTokensPerInput(),
        (System.nanoTime() - start) / 1_000_000,
        settings.concurrentRuns(),
        settings.intraOpThreads(),
        budget,
        info.maxInputsPerCall(),
        model.ifMade().isPresent() ? "is loaded" : "loads on the first call");
    return provider;
  }

  /**
   * Checks that the model's files are there, so that a missing model jar fails when the provider is
   * created (naming the artifact to add) rather than on its first call.
   */
  private static void requireFiles(ModelSpec spec) {
    spec.model().requireExists();
    spec.tokenizer().requireExists();
  }

  /** Creates the session, logging what it took: the first call waits for it. */
  private static OnnxModel load(ModelSpec spec, ProviderSettings settings) {
    long start = System.nanoTime();
    OnnxModel model =
        OnnxModel.load(
            spec,
            settings.intraOpThreads(),
            settings.optimizedModelDir().map(OptimizedModelStore::new));
    LOG.info(
        "loaded {} ({} dims) from {} in {} ms",
        settings.modelId(),
        model.dimensions(),
        model
            .loadedFromOptimized()
            .map(file -> "its optimized graph " + file)
            .orElse(spec.model().describe()),
        (System.nanoTime() - start) / 1_000_000);
    return model;
  }

  /** The tokens a prefix adds to an input, plus one in case a tokenizer merges across the join. */
  private static int prefixTokens(HfTokenizer tokenizer, String prefix) {
    return prefix.isEmpty() ? 0 : tokenizer.count(prefix) - tokenizer.specialTokens() + 1;
  }

  /**
   * What decides this provider's vectors beyond its model info: the pooling, the sequence length,
   * both configured prefixes (with the input type, which the pipeline adds per embed, they say
   * which prefix a vector got; an index built from documents records them, to be searched with
   * queries), and for a directory model the revision of its files (the per-input limit is added by
   * the pipeline).
   */
  private static VectorIdentity identity(
      ModelInfo info, ModelSpec spec, ProviderSettings settings) {
    VectorIdentity identity =
        settings
            .prefixes()
            .addTo(
                VectorIdentity.of(LocalProviderFactory.ID, info)
                    .with(VectorIdentity.POOLING, spec.pooling().id())
                    .with(
                        VectorIdentity.MAX_SEQUENCE_LENGTH,
                        Integer.toString(spec.maxSequenceLength())));
    return spec.revision() == null
        ? identity
        : identity.with(VectorIdentity.REVISION, spec.revision());
  }

  /**
   * The named models, the default first.
   *
   * @return the names
   */
  public static List<String> modelNames() {
    return ModelCatalog.names();
  }

  /**
   * Whether {@code name} is a named model whose tokenizer is on the classpath, or a directory
   * holding a {@code tokenizer.json}.
   *
   * @param name a model name or directory
   * @return true when {@link #tokenizer(String)} would succeed
   */
  public static boolean supportsTokenizer(String name) {
    Optional<ModelSpec> named = ModelCatalog.named(name);
    if (named.isPresent()) {
      return named.get().tokenizer().exists();
    }
    Path dir = ModelCatalog.asDirectory(name);
    return dir != null && ModelFile.file(dir.resolve("tokenizer.json")).exists();
  }

  /**
   * The shared tokenizer of a named model or a directory.
   *
   * @param name a model name or directory
   * @return the tokenizer
   * @throws IllegalArgumentException when the name is unknown or its tokenizer is missing
   */
  public static Tokenizer tokenizer(String name) {
    Optional<ModelSpec> named = ModelCatalog.named(name);
    if (named.isPresent()) {
      return LoadedTokenizers.get(name, named.get().tokenizer());
    }
    Path dir = ModelCatalog.asDirectory(name);
    ModelFile file = dir == null ? null : ModelFile.file(dir.resolve("tokenizer.json"));
    if (file == null || !file.exists()) {
      throw new IllegalArgumentException(
          "no local tokenizer for '"
              + name
              + "': the named models are "
              + ModelCatalog.names()
              + ", or give a directory holding tokenizer.json");
    }
    return LoadedTokenizers.get(dir.toString(), file);
  }

  /** The tokenizer's name: the model name, or the directory of a directory model. */
  private static String tokenizerName(ModelSpec spec) {
    Path file = spec.tokenizer().path();
    return file == null ? spec.id() : file.getParent().toString();
  }

  /**
   * The version of the LangChain4j model jars this build was made with, for "add this jar"
   * messages.
   *
   * @return e.g. {@code 1.20.0-beta30}
   */
  static String modelJarVersion() {
    try (InputStream in = LocalProviders.class.getResourceAsStream(MODEL_JARS)) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "<version>");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
