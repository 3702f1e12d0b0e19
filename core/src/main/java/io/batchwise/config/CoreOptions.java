package io.batchwise.config;

import io.batchwise.scheduler.JobOptions;
import io.batchwise.spi.LimitPolicy;
import io.batchwise.tokenizer.TokenizerRegistry;
import java.time.Duration;
import java.util.List;

/**
 * The options core reads. Providers, caches and schedulers add their own through their factories'
 * {@code options()}; together they are every key {@code Batchwise.builder().option(...)} accepts.
 */
public final class CoreOptions {
  private CoreOptions() {}

  /** Which provider embeds: a factory id such as {@code local} or {@code openai}. */
  public static final ConfigOption<String> PROVIDER =
      ConfigOption.text(
          "provider",
          "local",
          "the embedding provider's id (local, openai, or a custom provider's id)");

  /** The model, when the provider offers several. */
  public static final ConfigOption<String> MODEL =
      ConfigOption.text("model", null, "the model name; each provider has its own default");

  /** Which cache: {@code none} or a cache factory's id. */
  public static final ConfigOption<String> CACHE =
      ConfigOption.text(
          "cache", "none", "the embedding cache's id (none, caffeine, sqlite, redis, tiered)");

  /**
   * Which mapper runs instructions over items ({@code Batchwise.mapper()}): a mapper factory's id.
   */
  public static final ConfigOption<String> MAPPER =
      ConfigOption.text(
          "mapper",
          "openai",
          "the mapper's id: what bw.mapper() and the command line's map send items to (openai: any OpenAI-compatible"
              + " chat endpoint, in batchwise-providers-openai); set it for the server options the mapper shares with a"
              + " provider (openai.base-url, ...) to count for the mapper while another provider is selected");

  /** Which scheduler runs jobs and provider calls. */
  public static final ConfigOption<String> SCHEDULER =
      ConfigOption.text("scheduler", "local", "the scheduler's id; local runs in-process");

  /**
   * What to do with an input over the per-input token limit; unset, the provider's default applies.
   */
  public static final ConfigOption<LimitPolicy> LIMIT_POLICY =
      ConfigOption.choice(
          "limit-policy",
          LimitPolicy.class,
          "fail or truncate inputs over the per-input token limit; default: the provider's (fail for remote APIs, truncate for local models)");

  /**
   * Provider calls at once. Cores x 2 for both strategies: remote calls wait on I/O, and for
   * in-process models (which cap their own concurrent session runs) a second call in flight lets
   * tokenizing overlap with running the model (providers-local README).
   */
  public static final ConfigOption<Integer> CONCURRENCY =
      ConfigOption.integer(
              "concurrency",
              1,
              1024,
              "provider calls at once, over every embed and stream of the instance (the command line's too), 1-1024; default: cores x 2")
          .withDerivedDefault(
              () -> JobOptions.defaultConcurrency(JobOptions.DEFAULT_AGENTS_PER_CORE));

  /** Total tries per provider call. */
  public static final ConfigOption<Integer> MAX_ATTEMPTS =
      ConfigOption.integer(
              "max-attempts",
              1,
              20,
              "tries per provider call including the first, 1-20 (retryable failures only)")
          .withDefault(4);

  /** Time one provider call attempt may take. */
  public static final ConfigOption<Duration> CALL_TIMEOUT =
      ConfigOption.duration(
              "call-timeout",
              ConfigOption.POSITIVE,
              "time one provider call attempt may take, e.g. 30s, 2m")
          .withDefault(Duration.ofSeconds(30));

  /** The longest one embed's provider calls may run; unset, no limit. */
  public static final ConfigOption<Duration> JOB_TIMEOUT =
      ConfigOption.duration(
          "job-timeout",
          ConfigOption.POSITIVE,
          "the longest one embed (an embedAll call, an embedStream window, which the command line embeds by) may run from its start, waits for texts a concurrent embed computes included, e.g. 10m; inputs not embedded by then fail saying so; default: no limit");

  /** Calls started per minute. */
  public static final ConfigOption<Integer> REQUESTS_PER_MINUTE =
      ConfigOption.integer(
              "requests-per-minute",
              0,
              100_000_000,
              "provider calls started in any minute, over every embed and stream of the instance (the command line's too); 0 for no limit")
          .withDefault(0);

  /** Tokens started per minute. */
  public static final ConfigOption<Long> TOKENS_PER_MINUTE =
      ConfigOption.longInteger(
              "tokens-per-minute",
              0,
              Long.MAX_VALUE / 4,
              "tokens sent in any minute, over every embed and stream of the instance (the command line's too); 0 for no limit")
          .withDefault(0L);

  /** Which pacer holds the per-minute limits: {@code local} or a pacer factory's id. */
  public static final ConfigOption<String> PACER =
      ConfigOption.text(
          "pacer",
          "local",
          "what holds requests-per-minute and tokens-per-minute: local (this instance) or redis (one budget for every process sharing a Redis server and pacer.redis.name; batchwise-cache-redis)");

  /** Inputs longer than this many chars fail before tokenizing. */
  public static final ConfigOption<Integer> MAX_INPUT_CHARS =
      ConfigOption.integer(
              "max-input-chars",
              1,
              Integer.MAX_VALUE / 2,
              "inputs longer than this many chars fail before they are tokenized, 1-1073741823")
          .withDefault(1 << 20);

  /**
   * Override of the provider's inputs per call; read {@link ConfigOption#atMost narrowed} to the
   * provider's.
   */
  public static final ConfigOption<Integer> MAX_INPUTS_PER_CALL =
      ConfigOption.integer(
          "max-inputs-per-call",
          1,
          Integer.MAX_VALUE,
          "override the provider's most inputs per call (lower only)");

  /** Override of the provider's tokens per input; read narrowed to the provider's. */
  public static final ConfigOption<Integer> MAX_TOKENS_PER_INPUT =
      ConfigOption.integer(
          "max-tokens-per-input",
          1,
          Integer.MAX_VALUE,
          "override the provider's most tokens per input (lower only)");

  /**
   * Override of the provider's tokens per call, summed over the call's inputs; read narrowed to the
   * provider's.
   */
  public static final ConfigOption<Integer> MAX_TOKENS_PER_CALL =
      ConfigOption.integer(
          "max-tokens-per-call",
          1,
          Integer.MAX_VALUE,
          "override the provider's most tokens per call, summed over its inputs (lower only); an in-process model's micro-batch budget is its own option, e.g. local.token-budget");

  /** Inputs per window of {@code embedStream}. */
  public static final ConfigOption<Integer> STREAM_WINDOW =
      ConfigOption.integer(
              "stream-window", 1, 1_000_000, "inputs read per window by embedStream, 1-1000000")
          .withDefault(4096);

  /** Token counts cached per tokenizer. */
  public static final ConfigOption<Long> COUNT_CACHE_SIZE =
      ConfigOption.longInteger(
              "count-cache-size",
              0,
              100_000_000,
              "token counts cached per tokenizer (a cheap count once its text comes back), 0 to disable")
          .withDefault((long) TokenizerRegistry.DEFAULT_COUNT_CACHE_SIZE);

  /**
   * How long a small embed waits for others to share its provider calls: by default a few
   * milliseconds, small beside a remote call's latency; at most a minute, beyond which a caller
   * would wait longer than any call it could share takes.
   */
  public static final ConfigOption<Duration> COALESCE_WINDOW =
      ConfigOption.duration(
              "coalesce-window",
              Duration.ZERO,
              Duration.ofMinutes(1),
              "how long an embed of fewer inputs than one provider call holds waits for concurrent embeds to share its calls (sooner when they fill one), 0ms-1m; 0ms to send each embed alone")
          .withDefault(Duration.ofMillis(2));

  /** Threads of the CPU pool. */
  public static final ConfigOption<Integer> CPU_THREADS =
      ConfigOption.integer(
              "cpu-threads",
              1,
              1024,
              "threads for CPU-bound work (tokenizing, packing); default: the number of cores")
          .withDerivedDefault(() -> Runtime.getRuntime().availableProcessors());

  /**
   * Every core option.
   *
   * @return the options
   */
  public static List<ConfigOption<?>> all() {
    return List.of(
        PROVIDER,
        MODEL,
        CACHE,
        MAPPER,
        SCHEDULER,
        LIMIT_POLICY,
        CONCURRENCY,
        MAX_ATTEMPTS,
        CALL_TIMEOUT,
        JOB_TIMEOUT,
        REQUESTS_PER_MINUTE,
        TOKENS_PER_MINUTE,
        PACER,
        MAX_INPUT_CHARS,
        MAX_INPUTS_PER_CALL,
        MAX_TOKENS_PER_INPUT,
        MAX_TOKENS_PER_CALL,
        STREAM_WINDOW,
        COALESCE_WINDOW,
        COUNT_CACHE_SIZE,
        CPU_THREADS);
  }
}
