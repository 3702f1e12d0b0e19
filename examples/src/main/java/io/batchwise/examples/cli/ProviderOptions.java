package io.batchwise.examples.cli;

import io.batchwise.Batchwise;
import io.batchwise.Embedder;
import io.batchwise.config.ConfigOption;
import io.batchwise.config.ConfigurationException;
import io.batchwise.config.CoreOptions;
import io.batchwise.spi.CacheFactory;
import io.batchwise.metrics.BatchwiseMetrics;
import io.batchwise.spi.EmbeddingProviderFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The options that choose and configure the embedder, shared by {@code embed}, {@code index},
 * {@code search} and {@code demo}. Each maps onto a Batchwise configuration option; {@code -o KEY=VALUE}
 * sets any other (see the README's configuration reference). Options not given here still come from
 * {@code -Dbatchwise.<key>} and {@code BATCHWISE_<KEY>}, and {@code openai} reads {@code OPENAI_API_KEY}.
 */
public final class ProviderOptions {
  /** The cache module's option for the file of the sqlite (and tiered) cache. */
  static final String CACHE_PATH = "cache.path";
  /** The cache module's option for the Redis server of the redis (and tiered) cache. */
  static final String CACHE_URI = "cache.uri";

  @Option(names = "--provider", paramLabel = "ID",
      description = "embedding provider id: local (default), openai, hashing, or any on the classpath (see 'batchwise providers')")
  String provider;

  @Option(names = "--model", paramLabel = "NAME", description = "model name (default: the provider's)")
  String model;

  @Option(names = "--dimensions", paramLabel = "N",
      description = "vector length, for providers that offer it (openai text-embedding-3-*, hashing)")
  Integer dimensions;

  @Option(names = "--base-url", paramLabel = "URL",
      description = "base URL of an OpenAI-compatible API (Ollama, vLLM, Azure, ...)")
  String baseUrl;

  @Option(names = "--cache", paramLabel = "ID",
      description = "embedding cache: none (default), caffeine, sqlite, redis, tiered; makes reruns resumable")
  String cache;

  @Option(names = "--cache-path", paramLabel = "PATH", description = "file of a disk cache (sqlite)")
  Path cachePath;

  @Option(names = "--cache-uri", paramLabel = "URI", description = "URI of a shared cache (redis://host:6379)")
  String cacheUri;

  @Option(names = "--concurrency", paramLabel = "N", description = "provider calls at once, 1-1024")
  Integer concurrency;

  @Option(names = {"-o", "--option"}, paramLabel = "KEY=VALUE",
      description = "any Batchwise option, e.g. -o max-attempts=6 (repeatable)")
  Map<String, String> options = new LinkedHashMap<>();

  /**
   * Overrides the provider (and model) unless the user chose one, e.g. from an index file.
   *
   * @param providerId the provider id
   * @param modelName the model, or null
   */
  void defaults(String providerId, String modelName) {
    if (provider == null) {
      provider = providerId;
      if (model == null) {
        model = modelName;
      }
    }
  }

  /**
   * The provider id these options choose.
   *
   * @return the id
   */
  String providerId() {
    if (provider != null) {
      return provider;
    }
    if (options.containsKey(CoreOptions.PROVIDER.key())) {
      return options.get(CoreOptions.PROVIDER.key());
    }
    String fromProperty = System.getProperty(CoreOptions.PROVIDER.systemProperty());
    String fromEnv = System.getenv(CoreOptions.PROVIDER.environmentVariable());
    return fromProperty != null ? fromProperty : fromEnv != null ? fromEnv : CoreOptions.PROVIDER.defaultValue();
  }

  /**
   * The Batchwise options these command-line options set.
   *
   * @return options by key
   * @throws CliException a usage error when an option does not apply to the chosen provider or cache
   */
  Map<String, String> toOptions() {
    Map<String, String> out = new LinkedHashMap<>();
    String id = providerId();
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
    options.forEach((k, v) -> {
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
      throw CliException.usage(flag + " does not apply to provider '" + providerId
          + "': it has no option '" + key + "'");
    }
    return key;
  }

  private String cacheOption(String key, String flag) {
    String id = cache != null ? cache : options.getOrDefault(CoreOptions.CACHE.key(), "none");
    Optional<CacheFactory> factory = Discovery.cache(id);
    if (factory.isEmpty() || id.equals("none")) {
      throw CliException.usage(flag + " needs a cache that uses it: choose one with --cache"
          + " (found: " + String.join(", ", Discovery.caches().stream().map(CacheFactory::id).toList()) + ")");
    }
    if (factory.get().options().stream().noneMatch(o -> o.key().equals(key))) {
      throw CliException.usage(flag + " does not apply to cache '" + id + "': it has no option '" + key + "'");
    }
    return key;
  }

  /**
   * Builds the Batchwise instance these options describe.
   *
   * @param extra more options (e.g. placeholders for a dry run), applied unless already set
   * @return the instance; close it
   * @throws CliException a usage error naming the bad option or id
   */
  Batchwise build(Map<String, String> extra) {
    Map<String, String> all = toOptions();
    extra.forEach(all::putIfAbsent);
    try {
      return Batchwise.builder().options(all).meterRegistry(newRegistry()).build();
    } catch (ConfigurationException | IllegalStateException e) {
      throw CliException.usage(e.getMessage());
    }
  }

  /**
   * A meter registry whose Batchwise timers publish p50/p95/p99 over the whole job (the metrics
   * module's filter), for the end-of-job report.
   *
   * @return the registry
   */
  static MeterRegistry newRegistry() {
    MeterRegistry registry = new SimpleMeterRegistry();
    registry.config().meterFilter(BatchwiseMetrics.percentiles(BatchwiseMetrics.DEFAULT_PERCENTILE_WINDOW, false));
    return registry;
  }

  /**
   * The embedder of an instance, creating its provider (which may load a model or check an API key).
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
   * @return options by key
   */
  Map<String, String> dryRunPlaceholders() {
    Map<String, String> out = new LinkedHashMap<>();
    Map<String, String> given = toOptions();
    Discovery.provider(providerId()).ifPresent(f -> {
      for (ConfigOption o : f.options()) {
        boolean set = given.containsKey(o.key())
            || System.getProperty(o.systemProperty()) != null
            || System.getenv(o.environmentVariable()) != null
            || o.envAliases().stream().anyMatch(a -> System.getenv(a) != null);
        if (o.secret() && !set) {
          out.put(o.key(), "dry-run-placeholder");
        }
      }
    });
    return out;
  }
}
