package io.batchwise;

import io.batchwise.config.Config;
import io.batchwise.config.ConfigOption;
import io.batchwise.config.ConfigurationException;
import io.batchwise.config.CoreOptions;
import io.batchwise.discovery.FactoryRegistry;
import io.batchwise.internal.embed.EmbedPipeline;
import io.batchwise.internal.scheduler.LocalSchedulerFactory;
import io.batchwise.internal.wiring.BatchwiseComponent;
import io.batchwise.internal.wiring.Overrides;
import io.batchwise.map.Mapper;
import io.batchwise.scheduler.CallLimits;
import io.batchwise.scheduler.JobOptions;
import io.batchwise.scheduler.Scheduler;
import io.batchwise.spi.CallPacerFactory;
import io.batchwise.spi.EmbeddingCache;
import io.batchwise.spi.EmbeddingProvider;
import io.batchwise.spi.EmbeddingProviderFactory;
import io.batchwise.spi.LimitPolicy;
import io.batchwise.tokenizer.TokenizerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.concurrent.CancellationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point: one configured instance holding the provider, cache, scheduler and meter
 * registry that its embedder and every job share. Close it to release what it created (model
 * sessions, connection pools, threads); instances you passed in yourself are left open.
 *
 * <pre>{@code
 * try (Batchwise bw = Batchwise.builder()
 *     .provider("local")              // or "openai" (reads OPENAI_API_KEY)
 *     .cache("sqlite")                // optional; needs batchwise-cache-sqlite
 *     .build()) {
 *   EmbedResult result = bw.embedder().embedAll(List.of("first text", "second text"));
 *   float[] first = result.vectors().get(0);
 *   System.out.println(result.usage());
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class Batchwise implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Batchwise.class);

  private final BatchwiseComponent component;
  private final boolean ownsRegistry;

  private Batchwise(BatchwiseComponent component, boolean ownsRegistry) {
    this.component = component;
    this.ownsRegistry = ownsRegistry;
  }

  /**
   * Starts configuring an instance.
   *
   * <pre>{@code
   * Batchwise bw = Batchwise.builder().provider("openai").model("text-embedding-3-small").build();
   * }</pre>
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Every option {@link Builder#build()} accepts on this class path: core's, and those of each
   * provider, cache, scheduler and pacer that {@link ServiceLoader} finds. For tools that take
   * options from elsewhere and must know which names exist (the Spring Boot starter binds {@code
   * batchwise.*} properties by these keys, and lists them for IDEs).
   *
   * <pre>{@code
   * boolean known = Batchwise.declaredOptions().containsKey("local.model");
   * }</pre>
   *
   * @return the options by key, sorted; unmodifiable
   */
  public static Map<String, ConfigOption<?>> declaredOptions() {
    return DeclaredOptions.onClasspath().all();
  }

  /**
   * The embedder; the provider is created on the first call (loading a model can take a second).
   *
   * <pre>{@code
   * List<float[]> vectors = bw.embedder().embedAll(texts).vectors();
   * }</pre>
   *
   * @return the shared embedder
   * @throws IllegalStateException when the configured provider is not on the classpath (the message
   *     names the artifact to add)
   */
  public Embedder embedder() {
    return component.embedder().get();
  }

  /**
   * What {@link #embedder()} would do with {@code texts} as documents, without calling the provider
   * or writing to the cache: the same validation, dedupe, cache lookups (a text the per-input limit
   * cuts is a hit when its cut vector is cached) and token limits as an embed. The provider is
   * created (its tokenizer counts), never called. A dry run asks this, so that its figures are the
   * pipeline's own.
   *
   * <pre>{@code
   * EmbedPlan plan = bw.plan(texts);
   * long tokensToPay = plan.tokens();
   * }</pre>
   *
   * @param texts the inputs, as {@code embedAll} would take them
   * @return the plan
   * @throws IllegalStateException when the configured provider is not on the classpath
   */
  public EmbedPlan plan(List<String> texts) {
    if (!(embedder() instanceof EmbedPipeline pipeline)) {
      throw new IllegalStateException(
          "this instance's embedder is not the embed pipeline: " + embedder());
    }
    return pipeline.plan(texts);
  }

  /**
   * The mapper: runs an instruction over many items through a language model, packed, deduplicated,
   * cached and checked against a JSON schema, on this instance's scheduler and cache. Created on
   * the first call by the factory the {@code mapper} option names ({@code openai}, any
   * OpenAI-compatible chat endpoint, needs batchwise-providers-openai).
   *
   * <pre>{@code
   * MapResult r = bw.mapper().mapAll(reviews, "Is the review positive?", "{\"type\":\"boolean\"}");
   * }</pre>
   *
   * @return the shared mapper
   * @throws IllegalStateException when the configured mapper is not on the classpath (the message
   *     names the artifact to add)
   * @throws io.batchwise.config.ConfigurationException when one of its options is invalid
   */
  public Mapper mapper() {
    return component.mapper().get();
  }

  /**
   * The provider behind the embedder, created on first use.
   *
   * @return the provider
   */
  public EmbeddingProvider provider() {
    return component.provider().get();
  }

  /**
   * The scheduler that runs the embedder's provider calls and any job of yours.
   *
   * <pre>{@code
   * Job<String, String> job = bw.scheduler().submit(docs, summarizer, JobOptions.defaults());
   * }</pre>
   *
   * @return the shared scheduler
   */
  public Scheduler scheduler() {
    return component.scheduler();
  }

  /**
   * The limits this instance holds for its provider's calls — {@code concurrency} as a pool of
   * permits, {@code requests-per-minute} and {@code tokens-per-minute} (and what the service
   * reports) as a pacer — shared by every embed, {@code embedStream} window and command-line chunk.
   * A job of your own that calls the same service opts in, and then counts against the same limits;
   * created with the provider on first use.
   *
   * <pre>{@code
   * JobOptions<Doc> options = bw.callLimits().applyTo(JobOptions.<Doc>builder()).build();
   * }</pre>
   *
   * @return the shared limits
   * @see JobOptions.Builder#permits
   */
  public CallLimits callLimits() {
    return component.callLimits().get();
  }

  /**
   * The registry every component records to.
   *
   * <pre>{@code
   * double calls = bw.meterRegistry().get(MeterNames.EMBED_CALLS).counter().count();
   * }</pre>
   *
   * @return the shared meter registry
   */
  public MeterRegistry meterRegistry() {
    return component.meterRegistry();
  }

  /**
   * The registry the embedder records its observations to ({@link ObservationRegistry#NOOP} unless
   * one was given).
   *
   * @return the observation registry
   */
  public ObservationRegistry observationRegistry() {
    return component.observationRegistry();
  }

  /**
   * The cache shared by the embedder (the null cache unless one was chosen).
   *
   * @return the cache
   */
  public EmbeddingCache cache() {
    return component.cache();
  }

  /**
   * The shared tokenizers: one instance per model or encoding, counts cached.
   *
   * @return the tokenizer registry
   */
  public TokenizerRegistry tokenizers() {
    return component.tokenizers();
  }

  /**
   * The resolved configuration (secrets masked in its {@code toString()}).
   *
   * @return the configuration
   */
  public Config config() {
    return component.config();
  }

  /**
   * Closes what this instance created, in this order whatever the order of creation: the embedder
   * stops taking new embeds; the scheduler closes — in close mode {@code finish} (the default) it
   * lets the calls in flight finish, each call's vectors stored in the cache as it is answered, for
   * at most {@code scheduler.close-timeout}, then cancels the rest; in mode {@code cancel} it
   * cancels them at once; the embeds in flight then complete, every input that got no vector
   * failing with a {@link CancellationException} as its cause; then the provider, the cache, the
   * thread pools, and the meter registry when this instance created it. Instances you passed in are
   * left open; on a scheduler you passed in, this instance's own embeds get the same bound: at most
   * {@code scheduler.close-timeout} from the start of {@code close()} in mode {@code finish}, then
   * their jobs are cancelled. Idempotent.
   */
  @Override
  public void close() {
    component.ownedResources().close();
    if (ownsRegistry) {
      component.meterRegistry().close();
    }
  }

  @Override
  public String toString() {
    return "Batchwise{" + component.config() + "}";
  }

  /**
   * Configures a {@link Batchwise}. Each setting may be given once; {@link #build()} checks every
   * option's name and range and fails with a message that names the option, the value and what is
   * allowed. Values set here win over system properties ({@code -Dbatchwise.<key>}), which win over
   * environment variables ({@code BATCHWISE_<KEY>}, and conventional ones such as {@code
   * OPENAI_API_KEY}).
   */
  public static final class Builder {
    private final Map<String, String> options = new LinkedHashMap<>();
    private EmbeddingProvider provider;
    private EmbeddingCache cache;
    private Scheduler scheduler;
    private MeterRegistry meterRegistry;
    private ObservationRegistry observationRegistry;
    private Properties systemProperties = System.getProperties();
    private Map<String, String> environment = System.getenv();

    private Builder() {}

    /**
     * Chooses the provider by id.
     *
     * @param id e.g. {@code local} (batchwise-providers-local) or {@code openai}
     *     (batchwise-providers-openai)
     * @return this builder
     */
    public Builder provider(String id) {
      return option(CoreOptions.PROVIDER.key(), id);
    }

    /**
     * Uses a provider you created (you close it).
     *
     * @param provider the provider
     * @return this builder
     */
    public Builder provider(EmbeddingProvider provider) {
      once("provider", this.provider);
      requireNoOption(CoreOptions.PROVIDER.key());
      this.provider = Objects.requireNonNull(provider, "provider");
      return this;
    }

    /**
     * Chooses the model.
     *
     * @param model a model name the provider knows
     * @return this builder
     */
    public Builder model(String model) {
      return option(CoreOptions.MODEL.key(), model);
    }

    /**
     * Chooses the cache by id.
     *
     * @param id {@code none}; with batchwise-cache {@code caffeine} or {@code tiered}; with
     *     batchwise-cache-sqlite {@code sqlite}; with batchwise-cache-redis {@code redis}
     * @return this builder
     */
    public Builder cache(String id) {
      return option(CoreOptions.CACHE.key(), id);
    }

    /**
     * Uses a cache you created (you close it).
     *
     * @param cache the cache
     * @return this builder
     */
    public Builder cache(EmbeddingCache cache) {
      once("cache", this.cache);
      requireNoOption(CoreOptions.CACHE.key());
      this.cache = Objects.requireNonNull(cache, "cache");
      return this;
    }

    /**
     * Uses a scheduler you created (you close it).
     *
     * @param scheduler the scheduler
     * @return this builder
     */
    public Builder scheduler(Scheduler scheduler) {
      once("scheduler", this.scheduler);
      requireNoOption(CoreOptions.SCHEDULER.key());
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * Records every meter to your registry (Prometheus, ...); by default a simple in-memory one.
     *
     * @param registry the registry (you close it)
     * @return this builder
     */
    public Builder meterRegistry(MeterRegistry registry) {
      once("meterRegistry", this.meterRegistry);
      this.meterRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * Records an {@code Observation} per embed and per provider call to your registry, so that your
     * tracing (Spring Boot's, OpenTelemetry's through Micrometer Tracing) shows them as spans; by
     * default none is recorded. The names and key values are listed in {@code MeterNames}.
     *
     * <pre>{@code
     * Batchwise bw = Batchwise.builder().observationRegistry(observationRegistry).build();
     * }</pre>
     *
     * @param registry the registry
     * @return this builder
     */
    public Builder observationRegistry(ObservationRegistry registry) {
      once("observationRegistry", this.observationRegistry);
      this.observationRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * What to do with inputs over the per-input token limit.
     *
     * @param policy {@code FAIL} or {@code TRUNCATE}
     * @return this builder
     */
    public Builder limitPolicy(LimitPolicy policy) {
      return option(CoreOptions.LIMIT_POLICY.key(), policy.name().toLowerCase(Locale.ROOT));
    }

    /**
     * Provider calls at once.
     *
     * @param concurrency 1-1024
     * @return this builder
     */
    public Builder concurrency(int concurrency) {
      return option(CoreOptions.CONCURRENCY.key(), Integer.toString(concurrency));
    }

    /**
     * Sets any option by key; see the configuration reference in the README, or {@code batchwise
     * providers} for the options of what is on the classpath.
     *
     * @param key e.g. {@code openai.base-url}
     * @param value its value
     * @return this builder
     */
    public Builder option(String key, String value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, () -> "value of option '" + key + "'");
      if (options.containsKey(key)) {
        throw new IllegalStateException("option '" + key + "' was already set");
      }
      options.put(key, value);
      return this;
    }

    /**
     * Sets a declared option to a typed value, checked against the option's range now.
     *
     * <pre>{@code
     * Batchwise.builder().option(CoreOptions.CALL_TIMEOUT, Duration.ofMinutes(2));
     * }</pre>
     *
     * @param option the option, e.g. {@link CoreOptions#CONCURRENCY}
     * @param value its value
     * @param <T> the option's value type
     * @return this builder
     * @throws ConfigurationException when the value is out of the option's range
     */
    public <T> Builder option(ConfigOption<T> option, T value) {
      Objects.requireNonNull(value, () -> "value of option '" + option.key() + "'");
      String text = option.format(value);
      option.parse(text);
      return option(option.key(), text);
    }

    /**
     * Sets many options; see {@link #option(String, String)}.
     *
     * @param values options by key
     * @return this builder
     */
    public Builder options(Map<String, String> values) {
      values.forEach(this::option);
      return this;
    }

    /**
     * Replaces the system properties and environment consulted: for tests, and for hosts that hold
     * options of their own (the Spark integration passes its executors' Spark conf this way).
     *
     * @param systemProperties the properties
     * @param environment the environment
     * @return this builder
     */
    public Builder sources(Properties systemProperties, Map<String, String> environment) {
      this.systemProperties = Objects.requireNonNull(systemProperties, "systemProperties");
      this.environment = Map.copyOf(environment);
      return this;
    }

    private static void once(String what, Object current) {
      if (current != null) {
        throw new IllegalStateException(what + " was already set");
      }
    }

    private void requireNoOption(String key) {
      if (options.containsKey(key)) {
        throw new IllegalStateException(
            "an instance and the option '" + key + "' can not both be set");
      }
    }

    /**
     * Checks the configuration and creates the instance. The provider itself is created on first
     * use, but a provider, cache or scheduler id that is not on the classpath fails here.
     *
     * @return the instance
     * @throws ConfigurationException when an option is unknown or out of range, or an option set
     *     here belongs to a provider, cache, scheduler or pacer other than the selected one
     *     (options of a kind given as an instance are not checked)
     * @throws IllegalStateException when a chosen id (a pacer's too) is not on the classpath
     */
    public Batchwise build() {
      DeclaredOptions declared = DeclaredOptions.onClasspath();
      for (String key : options.keySet()) {
        declared.requireKnown(key, null);
      }
      for (String name : systemProperties.stringPropertyNames()) {
        if (name.startsWith("batchwise.")) {
          declared.requireKnown(name.substring("batchwise.".length()), "set as -D" + name);
        }
      }
      for (String name : environment.keySet()) {
        if (name.startsWith("BATCHWISE_")
            && declared.all().values().stream()
                .noneMatch(o -> o.environmentVariable().equals(name))) {
          LOG.warn("ignoring environment variable {}: no Batchwise option has that name", name);
        }
      }
      Config config =
          Config.of(options, declared.all(), systemProperties::getProperty, environment::get);
      Map<String, String> selected = selected(config);
      validate(config, declared, selected);
      declared.requireSelected(options.keySet(), selected);
      boolean ownsRegistry = meterRegistry == null;
      BatchwiseComponent component =
          BatchwiseComponent.builder()
              .config(config)
              .meterRegistry(ownsRegistry ? new SimpleMeterRegistry() : meterRegistry)
              .observationRegistry(
                  observationRegistry == null ? ObservationRegistry.NOOP : observationRegistry)
              .overrides(new Overrides(provider, cache, scheduler))
              .build();
      Batchwise batchwise = new Batchwise(component, ownsRegistry);
      try {
        component.scheduler();
        component.cache();
      } catch (RuntimeException e) {
        batchwise.close();
        throw e;
      }
      return batchwise;
    }

    /** The id chosen for each kind of factory; a kind given as an instance has none. */
    private Map<String, String> selected(Config config) {
      Map<String, String> ids = new LinkedHashMap<>();
      if (provider == null) {
        ids.put(DeclaredOptions.PROVIDER, config.get(CoreOptions.PROVIDER));
      }
      if (cache == null) {
        ids.put(DeclaredOptions.CACHE, config.get(CoreOptions.CACHE));
      }
      if (scheduler == null) {
        ids.put(DeclaredOptions.SCHEDULER, config.get(CoreOptions.SCHEDULER));
      }
      ids.put(DeclaredOptions.PACER, config.get(CoreOptions.PACER));
      // the default mapper does not claim the server options it shares with a provider: a stray
      // openai.base-url beside another provider is still caught, until the mapper is chosen by id
      if (config.isSet(CoreOptions.MAPPER)) {
        ids.put(DeclaredOptions.MAPPER, config.get(CoreOptions.MAPPER));
      }
      return ids;
    }

    /**
     * Reads every option of core and of the selected provider, cache, scheduler, pacer and mapper,
     * so that a bad value fails at build() and not at the first embed; each option's declaration
     * holds its rules.
     */
    private void validate(Config config, DeclaredOptions declared, Map<String, String> selected) {
      for (ConfigOption<?> option : declared.ofSelected(selected)) {
        config.find(option);
      }
      // the instance applies these to its own embeds, whichever scheduler it uses
      config.get(LocalSchedulerFactory.CLOSE_MODE);
      config.get(LocalSchedulerFactory.CLOSE_TIMEOUT);
      if (provider == null && config.isSet(CoreOptions.PROVIDER)) {
        FactoryRegistry.of(EmbeddingProviderFactory.class).find(config.get(CoreOptions.PROVIDER));
      }
      FactoryRegistry.of(CallPacerFactory.class).find(config.get(CoreOptions.PACER));
    }
  }
}
