package io.batchwise.examples.cli;

import io.batchwise.Batchwise;
import io.batchwise.Embedder;
import io.batchwise.config.ConfigOption;
import io.batchwise.config.ConfigurationException;
import io.batchwise.config.CoreOptions;
import io.batchwise.index.IndexIdentity;
import io.batchwise.meters.MeterNames;
import io.batchwise.metrics.BatchwiseMetrics;
import io.batchwise.spi.CacheFactory;
import io.batchwise.spi.EmbeddingProviderFactory;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The options that choose and configure the embedder, shared by {@code embed}, {@code index},
 * {@code search} and {@code demo}. Each maps onto a Batchwise configuration option; {@code -o
 * KEY=VALUE} sets any other (see the README's configuration reference). Options not given here
 * still come from {@code -Dbatchwise.<key>} and {@code BATCHWISE_<KEY>}, and {@code openai} reads
 * {@code OPENAI_API_KEY} (the {@link ConfigSources} of the run). Nothing read from a file sets
 * where requests go or how they authenticate: an index contributes only the {@link IndexIdentity}
 * of its vectors, as defaults ({@link #adopt}).
 */
public final class ProviderOptions {
  /** The cache module's option for the file of the sqlite (and tiered) cache. */
  static final String CACHE_PATH = "cache.path";

  /** The cache module's option for the Redis server of the redis (and tiered) cache. */
  static final String CACHE_URI = "cache.uri";

  @Option(
      names = "--provider",
      paramLabel = "ID",
      description =
          "embedding provider id: local (default), openai, hashing, or any on the classpath (see 'batchwise providers')")
  String provider;

  @Option(
      names = "--model",
      paramLabel = "NAME",
      description = "model name (default: the provider's)")
  String model;

  @Option(
      names = "--dimensions",
      paramLabel = "N",
      description =
          "vector length, for providers that offer it (openai text-embedding-3-*, hashing)")
  Integer dimensions;

  @Option(
      names = "--base-url",
      paramLabel = "URL",
      description = "base URL of an OpenAI-compatible API (Ollama, vLLM, Azure, ...)")
  String baseUrl;

  @Option(
      names = "--cache",
      paramLabel = "ID",
      description =
          "embedding cache: none (default), caffeine, sqlite, redis, tiered; makes reruns resumable")
  String cache;

  @Option(
      names = "--cache-path",
      paramLabel = "PATH",
      description = "file of a disk cache (sqlite)")
  Path cachePath;

  @Option(
      names = "--cache-uri",
      paramLabel = "URI",
      description = "URI of a shared cache (redis://host:6379)")
  String cacheUri;

  @Option(names = "--concurrency", paramLabel = "N", description = "provider calls at once, 1-1024")
  Integer concurrency;

  @Option(
      names = {"-o", "--option"},
      paramLabel = "KEY=VALUE",
      description = "any Batchwise option, e.g. -o max-attempts=6 (repeatable)")
  Map<String, String> options = new LinkedHashMap<>();

  private boolean modelFromIndex;

  /**
   * Takes an index's identity as the default for every part of it that the user leaves unset: the
   * provider, the model (when the provider is the index's), and the provider's options for its
   * dimensions and for the identity's {@linkplain IndexIdentity#PROVIDER_SETTINGS settings}
   * (pooling, prefixes, ...). These say what the vectors are; where requests go and how they
   * authenticate stay the user's alone.
   *
   * @param identity the index's identity
   * @param sources the run's system properties and environment
   * @return the provider options to add (unset by the user), by key
   * @throws CliException a usage error when a given option does not apply to the provider
   */
  Map<String, String> adopt(IndexIdentity identity, ConfigSources sources) {
    if (provider == null
        && !options.containsKey(CoreOptions.PROVIDER.key())
        && !sources.sets(CoreOptions.PROVIDER)) {
      provider = identity.provider();
    }
    String id = providerId(sources);
    Map<String, String> out = new LinkedHashMap<>();
    if (!id.equals(identity.provider())) {
      return out; // another provider's options and model names mean nothing here; the identity
      // check says so
    }
    Map<String, String> given = toOptions(sources);
    List<ConfigOption<?>> declared =
        Discovery.provider(id).map(EmbeddingProviderFactory::options).orElse(List.of());
    if (!userSets(CoreOptions.MODEL, given, sources)
        && !userSets(option(declared, id + ".model"), given, sources)) {
      model = identity.model();
      modelFromIndex = true;
    }
    ConfigOption<?> dims = option(declared, id + ".dimensions");
    if (dims != null && !userSets(dims, given, sources)) {
      out.put(dims.key(), Integer.toString(identity.dimensions()));
    }
    for (String name : IndexIdentity.PROVIDER_SETTINGS) {
      ConfigOption<?> setting = option(declared, id + "." + name);
      String value = identity.attribute(name).orElse("");
      if (setting != null && !value.isEmpty() && !userSets(setting, given, sources)) {
        out.put(setting.key(), value);
      }
    }
    return out;
  }

  /**
   * Whether {@link #adopt} took the model name from an index.
   *
   * @return true when the model came from the index
   */
  boolean modelFromIndex() {
    return modelFromIndex;
  }

  private static ConfigOption<?> option(List<ConfigOption<?>> declared, String key) {
    return declared.stream().filter(o -> o.key().equals(key)).findFirst().orElse(null);
  }

  private static boolean userSets(
      ConfigOption<?> option, Map<String, String> given, ConfigSources sources) {
    return option != null && (given.containsKey(option.key()) || sources.sets(option));
  }

  /**
   * The provider id these options choose.
   *
   * @param sources the run's system properties and environment
   * @return the id
   */
  String providerId(ConfigSources sources) {
    if (provider != null) {
      return provider;
    }
    if (options.containsKey(CoreOptions.PROVIDER.key())) {
      return options.get(CoreOptions.PROVIDER.key());
    }
    String fromSources = sources.valueOf(CoreOptions.PROVIDER);
    return fromSources != null ? fromSources : CoreOptions.PROVIDER.defaultText();
  }

  /**
   * The Batchwise options these command-line options set.
   *
   * @param sources the run's system properties and environment (they may choose the provider)
   * @return options by key
   * @throws CliException a usage error when an option does not apply to the chosen provider or
   *     cache
   */
  Map<String, String> toOptions(ConfigSources sources) {
    Map<String, String> out = new LinkedHashMap<>();
    String id = providerId(sources);
    if (provider != null) {
      out.put(CoreOptions.PROVIDER.key(), provider);
    }
    if (model != null) {
      out.put(CoreOptions.MODEL.key(), model);
    }
    if (dimensions != null) {
      out.put(providerOption(id, "dimensions", "--dimensions"), dimensions.toString());
    }
    if (baseUrl != null) {
      out.put(providerOption(id, "base-url", "--base-url"), baseUrl);
    }
    if (cache != null) {
      out.put(CoreOptions.CACHE.key(), cache);
    }
    if (cachePath != null) {
      out.put(cacheOption(CACHE_PATH, "--cache-path"), cachePath.toString());
    }
    if (cacheUri != null) {
      out.put(cacheOption(CACHE_URI, "--cache-uri"), cacheUri);
    }
    if (concurrency != null) {
      out.put(CoreOptions.CONCURRENCY.key(), concurrency.toString());
    }
    options.forEach(
        (k, v) -> {
          if (out.containsKey(k)) {
            throw CliException.usage("option '" + k + "' is set twice (by -o and by its own flag)");
          }
          out.put(k, v);
        });
    return out;
  }

  private static String providerOption(String providerId, String suffix, String flag) {
    Optional<EmbeddingProviderFactory> factory = Discovery.provider(providerId);
    if (factory.isEmpty()) {
      return providerId + "." + suffix; // Batchwise.build() names the missing provider
    }
    String key = providerId + "." + suffix;
    if (factory.get().options().stream().noneMatch(o -> o.key().equals(key))) {
      throw CliException.usage(
          flag
              + " does not apply to provider '"
              + providerId
              + "': it has no option '"
              + key
              + "'");
    }
    return key;
  }

  private String cacheOption(String key, String flag) {
    String id = cache != null ? cache : options.getOrDefault(CoreOptions.CACHE.key(), "none");
    Optional<CacheFactory> factory = Discovery.cache(id);
    if (factory.isEmpty() || id.equals("none")) {
      throw CliException.usage(
          flag
              + " needs a cache that uses it: choose one with --cache"
              + " (found: "
              + String.join(", ", Discovery.caches().stream().map(CacheFactory::id).toList())
              + ")");
    }
    if (factory.get().options().stream().noneMatch(o -> o.key().equals(key))) {
      throw CliException.usage(
          flag + " does not apply to cache '" + id + "': it has no option '" + key + "'");
    }
    return key;
  }

  /**
   * Builds the Batchwise instance these options describe.
   *
   * @param sources the run's system properties and environment
   * @param extra more options (e.g. placeholders for a dry run), applied unless already set
   * @return the instance; close it (a Ctrl-C of the process closes it too, see {@link Interrupts})
   * @throws CliException a usage error naming the bad option or id
   */
  Batchwise build(ConfigSources sources, Map<String, String> extra) {
    Map<String, String> all = toOptions(sources);
    extra.forEach(all::putIfAbsent);
    try {
      // closed by the interrupt hook too, so that Ctrl-C lets its calls in flight finish and be
      // cached
      return Interrupts.closeOnStop(
          Batchwise.builder()
              .sources(sources.systemProperties(), sources.environment())
              .options(all)
              .meterRegistry(newRegistry())
              .build());
    } catch (ConfigurationException | IllegalStateException e) {
      throw CliException.usage(e.getMessage());
    }
  }

  /**
   * A meter registry whose provider-call latency timer publishes p50/p95/p99 over the whole job
   * (the metrics module's filter), for the end-of-job report.
   *
   * @return the registry
   */
  static MeterRegistry newRegistry() {
    MeterFilter percentiles =
        BatchwiseMetrics.percentiles(BatchwiseMetrics.DEFAULT_PERCENTILE_WINDOW, false);
    MeterRegistry registry = new SimpleMeterRegistry();
    registry
        .config()
        .meterFilter(
            // only the timer the report reads: a percentile histogram on every other timer (a
            // cache lookup's, each window's) is work on every record that nothing reads
            new MeterFilter() {
              @Override
              public DistributionStatisticConfig configure(
                  Meter.Id id, DistributionStatisticConfig config) {
                return id.getName().equals(MeterNames.EMBED_CALL_LATENCY)
                    ? percentiles.configure(id, config)
                    : config;
              }
            });
    return registry;
  }

  /**
   * The embedder of an instance, creating its provider (which may load a model or check an API
   * key).
   *
   * @param bw the instance
   * @return the embedder
   * @throws CliException a usage error when the provider's configuration is incomplete or invalid
   */
  static Embedder embedder(Batchwise bw) {
    try {
      return bw.embedder();
    } catch (ConfigurationException | IllegalStateException e) {
      throw CliException.usage(e.getMessage());
    }
  }

  /**
   * Placeholders for the chosen provider's secret options that no source sets: a dry run makes no
   * call, so it needs no API key.
   *
   * @param sources the run's system properties and environment
   * @return options by key
   */
  Map<String, String> dryRunPlaceholders(ConfigSources sources) {
    Map<String, String> out = new LinkedHashMap<>();
    Map<String, String> given = toOptions(sources);
    Discovery.provider(providerId(sources))
        .ifPresent(
            f -> {
              for (ConfigOption<?> o : f.options()) {
                if (o.secret() && !userSets(o, given, sources)) {
                  out.put(o.key(), "dry-run-placeholder");
                }
              }
            });
    return out;
  }
}
