package io.batchwise.config;

import java.util.List;

/**
 * The options core reads. Providers, caches and schedulers add their own through their factories'
 * {@code options()}; together they are every key {@code Batchwise.builder().option(...)} accepts.
 */
public final class CoreOptions {
  private CoreOptions() {}

  /** Which provider embeds: a factory id such as {@code local} or {@code openai}. */
  public static final ConfigOption PROVIDER =
      ConfigOption.of("provider", "local", "the embedding provider's id (local, openai, or a custom provider's id)");
  /** The model, when the provider offers several. */
  public static final ConfigOption MODEL =
      ConfigOption.of("model", null, "the model name; each provider has its own default");
  /** Which cache: {@code none} or a cache factory's id. */
  public static final ConfigOption CACHE =
      ConfigOption.of("cache", "none", "the embedding cache's id (none, caffeine, sqlite, redis, tiered)");
  /** Which mapper runs instructions over items ({@code Batchwise.mapper()}): a mapper factory's id. */
  public static final ConfigOption MAPPER =
      ConfigOption.of("mapper", "openai",
          "the mapper's id: what bw.mapper() and the command line's map send items to (openai: any OpenAI-compatible"
              + " chat endpoint, in batchwise-providers-openai); set it for the server options the mapper shares with a"
              + " provider (openai.base-url, ...) to count for the mapper while another provider is selected");
  /** Which scheduler runs jobs and provider calls. */
  public static final ConfigOption SCHEDULER =
      ConfigOption.of("scheduler", "local", "the scheduler's id; local runs in-process");
  /** What to do with an input over the per-input token limit. */
  public static final ConfigOption LIMIT_POLICY =
      ConfigOption.of("limit-policy", null,
          "fail or truncate inputs over the per-input token limit; default: the provider's (fail for remote APIs, truncate for local models)");
  /** Provider calls at once. */
  public static final ConfigOption CONCURRENCY =
      ConfigOption.of("concurrency", null,
          "provider calls at once, over every embed and stream of the instance (the command line's too), 1-1024; default: cores x 2");
  /** Total tries per provider call. */
  public static final ConfigOption MAX_ATTEMPTS =
      ConfigOption.of("max-attempts", "4", "tries per provider call including the first, 1-20 (retryable failures only)");
  /** Time one provider call attempt may take. */
  public static final ConfigOption CALL_TIMEOUT =
      ConfigOption.of("call-timeout", "30s", "time one provider call attempt may take, e.g. 30s, 2m");
  /** The longest one embed's provider calls may run. */
  public static final ConfigOption JOB_TIMEOUT =
      ConfigOption.of("job-timeout", null,
          "the longest one embed (an embedAll call, an embedStream window, which the command line embeds by) may run its provider calls, e.g. 10m; inputs not embedded by then fail saying so; default: no limit");
  /** Calls started per minute. */
  public static final ConfigOption REQUESTS_PER_MINUTE =
      ConfigOption.of("requests-per-minute", "0",
          "provider calls started in any minute, over every embed and stream of the instance (the command line's too); 0 for no limit");
  /** Tokens started per minute. */
  public static final ConfigOption TOKENS_PER_MINUTE =
      ConfigOption.of("tokens-per-minute", "0",
          "tokens sent in any minute, over every embed and stream of the instance (the command line's too); 0 for no limit");
  /** Inputs longer than this many chars fail before tokenizing. */
  public static final ConfigOption MAX_INPUT_CHARS =
      ConfigOption.of("max-input-chars", "1048576",
          "inputs longer than this many chars fail before they are tokenized, 1-1073741823");
  /** Override of the provider's inputs per call. */
  public static final ConfigOption MAX_INPUTS_PER_CALL =
      ConfigOption.of("max-inputs-per-call", null, "override the provider's most inputs per call (lower only)");
  /** Override of the provider's tokens per input. */
  public static final ConfigOption MAX_TOKENS_PER_INPUT =
      ConfigOption.of("max-tokens-per-input", null, "override the provider's most tokens per input (lower only)");
  /** Override of the provider's tokens per call, summed over the call's inputs. */
  public static final ConfigOption MAX_TOKENS_PER_CALL =
      ConfigOption.of("max-tokens-per-call", null,
          "override the provider's most tokens per call, summed over its inputs (lower only); an in-process model's micro-batch budget is its own option, e.g. local.token-budget");
  /** Inputs per window of {@code embedStream}. */
  public static final ConfigOption STREAM_WINDOW =
      ConfigOption.of("stream-window", "4096", "inputs read per window by embedStream, 1-1000000");
  /** Token counts cached per tokenizer. */
  public static final ConfigOption COUNT_CACHE_SIZE =
      ConfigOption.of("count-cache-size", "100000", "token counts cached per tokenizer (a cheap count once its text comes back), 0 to disable");
  /** Threads of the CPU pool. */
  public static final ConfigOption CPU_THREADS =
      ConfigOption.of("cpu-threads", null, "threads for CPU-bound work (tokenizing, packing); default: the number of cores");

  /**
   * Every core option.
   *
   * @return the options
   */
  public static List<ConfigOption> all() {
    return List.of(PROVIDER, MODEL, CACHE, MAPPER, SCHEDULER, LIMIT_POLICY, CONCURRENCY, MAX_ATTEMPTS,
        CALL_TIMEOUT, JOB_TIMEOUT, REQUESTS_PER_MINUTE, TOKENS_PER_MINUTE, MAX_INPUT_CHARS, MAX_INPUTS_PER_CALL,
        MAX_TOKENS_PER_INPUT, MAX_TOKENS_PER_CALL, STREAM_WINDOW, COUNT_CACHE_SIZE, CPU_THREADS);
  }
}
